// ThreadSanitizer reads this hook at start-up (it is an ordinary unused function otherwise).
// std::future<Entity> carries RemoteException/CallError as an exception_ptr whose reference
// count lives in the uninstrumented libstdc++: TSan then reports the final release on the link
// strand as racing with the catching thread's reads, although the count orders them.
extern "C" const char* __tsan_default_suppressions();
extern "C" const char* __tsan_default_suppressions() {
  return "race:std::__exception_ptr::exception_ptr::_M_release\n";
}

// ThreadSanitizer suppressions, compiled into every executable of a TSan build
// (cmake/vpstream_sanitizers.cmake). TSan calls this hook at start-up.
//
// Only reports that are provably artefacts of uninstrumented code belong here; a race in our
// own code is fixed, never listed.
//
// std::exception_ptr (std::future results, RemoteException/CallError handed between the link
// strand and a waiting thread, async completion handlers): the exception object's reference
// count is changed by __atomic operations inside libstdc++.so, which is not built with
// -fsanitize=thread. TSan therefore never sees the release/acquire pair on that count, and
// reports the free() in the final _M_release() as racing with the other thread's earlier reads
// of the exception, although the count orders them. The entry matches only stacks that pass
// through _M_release, i.e. the destruction of the exception object.
extern "C" const char* __tsan_default_suppressions();
extern "C" const char* __tsan_default_suppressions() {
  return "race:std::__exception_ptr::exception_ptr::_M_release\n";
}

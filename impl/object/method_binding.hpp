// Turns a typed C++ callable into a published method: checks the arity, converts each argument
// entity to its parameter type, runs the callable and converts the result (link.md §6.4, §6.5).
// Every way this can fail maps to the outcome the reference gives: VException (and a
// RemoteException passing through) → CALL_EXCEPTION, everything else → CALL_ERROR.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

#include "entity/entity.hpp"
#include "link/call_types.hpp"
#include "object/argument_conversion.hpp"
#include "object/dispatch_error.hpp"
#include "object/remote_exception.hpp"
#include "object/vexception.hpp"

namespace versile {

// A published method as the registry runs it: the arguments after the method name in, the
// outcome to report out. Never throws.
using MethodInvoker = std::function<link::CallOutcome(std::span<const Entity> args)>;

namespace binding_detail {

template <class... Ps>
struct type_list {};

// The signature R(Ps...) of anything callable with a single, non-template call operator.
template <class F>
struct signature_of : signature_of<decltype(&F::operator())> {};
template <class R, class... Ps>
struct signature_of<R (*)(Ps...)> {
  using result = R;
  using params = type_list<Ps...>;
};
template <class R, class... Ps>
struct signature_of<R (*)(Ps...) noexcept> : signature_of<R (*)(Ps...)> {};
template <class R, class C, class... Ps>
struct signature_of<R (C::*)(Ps...)> : signature_of<R (*)(Ps...)> {};
template <class R, class C, class... Ps>
struct signature_of<R (C::*)(Ps...) const> : signature_of<R (*)(Ps...)> {};
template <class R, class C, class... Ps>
struct signature_of<R (C::*)(Ps...) noexcept> : signature_of<R (*)(Ps...)> {};
template <class R, class C, class... Ps>
struct signature_of<R (C::*)(Ps...) const noexcept> : signature_of<R (*)(Ps...)> {};
template <class R, class C, class... Ps>
struct signature_of<R (C::*)(Ps...) &> : signature_of<R (*)(Ps...)> {};
template <class R, class C, class... Ps>
struct signature_of<R (C::*)(Ps...) const&> : signature_of<R (*)(Ps...)> {};

// The class a member function pointer belongs to.
template <class M>
struct member_owner;
template <class M, class C>
struct member_owner<M C::*> {
  using type = C;
};

template <class P>
inline constexpr bool valid_parameter =
    !std::is_lvalue_reference_v<P> || std::is_const_v<std::remove_reference_t<P>>;

// Runs `fn` with the converted arguments; the outcome mapping of link.md §6.4.
template <class R, class... Ps, class Fn, std::size_t... I>
link::CallOutcome invoke_converted(const Fn& fn, std::span<const Entity> args, type_list<Ps...>,
                                   std::index_sequence<I...>) {
  static_assert((valid_parameter<Ps> && ...),
                "published method parameters must be values or const references");
  if (args.size() != sizeof...(Ps)) {
    return link::CallOutcome::failure(make_error_code(DispatchErrc::wrong_arity));
  }
  using Values = std::tuple<std::remove_cvref_t<Ps>...>;
  std::optional<Values> values;
  try {
    // Braced initialisation evaluates the conversions left to right.
    values.emplace(Values{from_call_entity<std::remove_cvref_t<Ps>>(args[I])...});
  } catch (...) {
    return link::CallOutcome::failure(make_error_code(DispatchErrc::bad_argument));
  }
  try {
    if constexpr (std::is_void_v<R>) {
      std::invoke(fn, std::move(std::get<I>(*values))...);
      return link::CallOutcome::result(Entity{});
    } else {
      R result = std::invoke(fn, std::move(std::get<I>(*values))...);
      try {
        return link::CallOutcome::result(to_call_entity(std::move(result)));
      } catch (...) {
        return link::CallOutcome::failure(make_error_code(DispatchErrc::bad_result));
      }
    }
  } catch (const VException& e) {
    return link::CallOutcome::exception(e.value());
  } catch (const RemoteException& e) {
    // A peer's exception passing through this method is re-raised to our caller, as in the
    // reference where the proxy call raises the VException it received.
    return link::CallOutcome::exception(e.value());
  } catch (...) {
    return link::CallOutcome::failure(make_error_code(DispatchErrc::method_failed));
  }
}

}  // namespace binding_detail

// Binds `fn` (whose signature is R(Ps...)) as a MethodInvoker.
template <class R, class... Ps, class Fn>
MethodInvoker bind_method(Fn fn, binding_detail::type_list<Ps...> params = {}) {
  // Not mutable: one published method may run on several threads at once.
  return [fn = std::move(fn), params](std::span<const Entity> args) {
    return binding_detail::invoke_converted<R>(fn, args, params,
                                               std::index_sequence_for<Ps...>{});
  };
}

// Binds any callable with a single non-template call operator (lambda, std::function, function
// pointer).
template <class F>
MethodInvoker bind_callable(F fn) {
  using Signature = binding_detail::signature_of<std::decay_t<F>>;
  return bind_method<typename Signature::result>(std::move(fn), typename Signature::params{});
}

}  // namespace versile

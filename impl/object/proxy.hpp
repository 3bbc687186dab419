// Proxy: the application's handle to an object owned by the peer (link.md §6.2, §7). A cheap
// value type sharing one link::PeerObject; when the last copy (of any proxy or entity holding
// the reference) is gone, the link sends NOTIFY_DEREF.
//
//   versile::Proxy gw = ...;
//   auto sum = gw.call("add", 2, 3).as<std::int64_t>();        // blocking
//   auto f = gw.call_async("add", 2, 3);                         // std::future<Entity>
//   gw.call_then([](versile::CallResult r) { ... }, "add", 2, 3);
//   gw.call_void("note", 5);                                     // METHOD_CALL_VOID_RESULT
//   gw.call_oneway("note", 5);                                   // METHOD_CALL_NO_RETURN
//
// Outcomes: a result entity; CALL_EXCEPTION → versile::RemoteException; CALL_ERROR, link loss,
// timeouts and unsendable arguments → versile::CallError (see call_error.hpp).
//
// Blocking calls must not run on the link strand (for example inside a published method when
// the link runs calls inline): the answer is delivered on that strand. Completion handlers run
// on the strand and must not block.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entity/entity.hpp"
#include "link/call_types.hpp"
#include "link/peer_object.hpp"
#include "object/argument_conversion.hpp"
#include "object/call_error.hpp"
#include "object/call_result.hpp"

namespace versile {

namespace link {
class Link;
}

class Proxy {
 public:
  using CallHandler = std::function<void(CallResult)>;

  Proxy() = default;
  explicit Proxy(std::shared_ptr<link::PeerObject> peer) noexcept : peer_(std::move(peer)) {}

  bool valid() const noexcept { return peer_ != nullptr; }
  explicit operator bool() const noexcept { return valid(); }
  const std::shared_ptr<link::PeerObject>& peer() const noexcept { return peer_; }
  // The link the object lives behind, or null (empty proxy, link gone).
  std::shared_ptr<link::Link> link() const;
  // The object reference, to pass the proxy on in a call or result.
  ObjectRef ref() const;

  // ---- method calls; arguments are converted with to_call_entity ----
  template <class... A>
  Entity call(std::string_view method, A&&... args) const {
    return invoke(make_args(method, std::forward<A>(args)...), link::CallMode::normal);
  }
  template <class Rep, class Period, class... A>
  Entity call_for(std::chrono::duration<Rep, Period> timeout, std::string_view method,
                  A&&... args) const {
    return invoke(make_args(method, std::forward<A>(args)...), link::CallMode::normal,
                  std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
  }
  template <class... A>
  std::future<Entity> call_async(std::string_view method, A&&... args) const {
    return send(make_args(method, std::forward<A>(args)...), link::CallMode::normal);
  }
  template <class... A>
  void call_then(CallHandler handler, std::string_view method, A&&... args) const {
    send(make_args(method, std::forward<A>(args)...), link::CallMode::normal, std::move(handler));
  }
  // METHOD_CALL_VOID_RESULT: waits for completion, throws like call().
  template <class... A>
  void call_void(std::string_view method, A&&... args) const {
    invoke(make_args(method, std::forward<A>(args)...), link::CallMode::void_result);
  }
  // METHOD_CALL_NO_RETURN: returns once queued; nothing ever comes back. Throws CallError only
  // when the call cannot be sent.
  template <class... A>
  void call_oneway(std::string_view method, A&&... args) const {
    invoke(make_args(method, std::forward<A>(args)...), link::CallMode::no_return);
  }

  // ---- meta calls (link.md §6.1) ----
  std::vector<std::string> meta_methods() const;
  // Class documentation, or method documentation for `method`; nullopt when none is published.
  std::optional<std::string> meta_doc(std::optional<std::string_view> method = std::nullopt) const;

  // ---- raw calls: `args` is the whole argument tuple (["name", ...] or [null, "meta", ...]) ----
  // Blocking; throws RemoteException / CallError; timeout: CallError(timeout) (the call stays
  // pending in the link until its answer or the link's end, and the answer is then dropped).
  Entity invoke(Tuple args, link::CallMode mode,
                std::optional<std::chrono::nanoseconds> timeout = std::nullopt) const;
  std::future<Entity> send(Tuple args, link::CallMode mode) const;
  // `handler` runs exactly once: on the link strand, or on this thread if nothing was sent.
  void send(Tuple args, link::CallMode mode, CallHandler handler) const;

  // The argument tuple ["method", args...] as calls send it; throws CallError(bad_arguments)
  // when a value does not convert.
  template <class... A>
  static Tuple make_args(std::string_view method, A&&... args) {
    try {
      return Tuple{Entity(method), to_call_entity(std::forward<A>(args))...};
    } catch (const std::exception& e) {
      throw CallError(CallErrc::bad_arguments, {}, e.what());
    }
  }

  // Same peer object (identity, not structure).
  friend bool operator==(const Proxy& a, const Proxy& b) noexcept { return a.peer_ == b.peer_; }

 private:
  std::shared_ptr<link::PeerObject> peer_;
};

}  // namespace versile

// `entity.as<versile::Proxy>()` for references to peer objects; also makes Proxy usable as a
// published-method parameter and result.
template <>
struct versile::EntityConverter<versile::Proxy> {
  static versile::Proxy from_entity(const versile::Entity& e);
  static versile::Entity to_entity(const versile::Proxy& p);
};

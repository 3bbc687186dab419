// External: a local object the peer can call, with a registry of published methods (the VOB
// conventions of link.md §6.1/§6.4, like the reference's VExternal).
//
//   class Calculator : public versile::External {
//    public:
//     Calculator() { publish("add", &Calculator::add); }
//     versile::Integer add(versile::Integer a, versile::Integer b);
//   };
//
// Parameters and results convert as described in object/argument_conversion.hpp; a void result
// is sent as null. Wrong arity or argument types answer CALL_ERROR, a thrown VException answers
// CALL_EXCEPTION with its value, any other exception CALL_ERROR. Meta calls: `methods` (names of
// shown methods, sorted like the reference), `doc` (class doc) and `doc`(name) (method doc or
// null; CALL_EXCEPTION "Not an exposed method" for an unknown name, as Py does — §14.1).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "entity/entity.hpp"
#include "link/call_target.hpp"
#include "object/method_binding.hpp"

namespace versile {

struct PublishOptions {
  // Returned by the meta call doc(name); none: null.
  std::optional<std::string> doc;
  // Listed by the meta call `methods`. Hidden methods stay callable (§6.1).
  bool show = true;
  // publish_deferred only: the handler never blocks (it hands the call on and answers later),
  // so the link runs it on its strand instead of the call executor (no thread hand-off).
  bool runs_inline = false;
};

// One call handled by a method that answers later (publish_deferred).
struct DeferredCall {
  Tuple args;                 // the arguments after the method name
  link::CallMode mode = link::CallMode::normal;
  link::Responder responder;  // move it out to answer later; complete once, from any thread
  std::weak_ptr<link::Link> link;
};
using DeferredHandler = std::function<void(DeferredCall& call)>;

class External : public Object, public link::CallTarget {
 public:
  External() = default;
  explicit External(std::string class_doc) : class_doc_(std::move(class_doc)) {}
  ~External() override = default;
  External(const External&) = delete;
  External& operator=(const External&) = delete;

  // link::CallTarget: dispatches on the first argument (name or null + meta name).
  void handle_call(link::CallRequest request) override;
  // True for a method published with PublishOptions::runs_inline.
  bool handles_inline(const link::CallRequest& request) const override;

  // ---- publishing (thread-safe; publishing a name twice throws std::invalid_argument) ----

  // A member function of this object's class (any arity, any cv/ref qualification).
  template <class Method>
    requires std::is_member_function_pointer_v<Method>
  void publish(std::string name, Method method, PublishOptions options = {});

  // Any callable with one non-template call operator: lambda, std::function, function pointer.
  template <class F>
    requires(!std::is_member_function_pointer_v<std::decay_t<F>>)
  void publish(std::string name, F&& fn, PublishOptions options = {}) {
    publish_invoker(std::move(name), bind_callable(std::forward<F>(fn)), std::move(options));
  }

  // A method that gets the raw arguments and the Responder and may answer later, from any
  // thread (deferred result, link.md §6.4). If the handler throws while it still holds the
  // responder, the exception is answered like a typed method's.
  void publish_deferred(std::string name, DeferredHandler handler, PublishOptions options = {});

  // A prepared invoker (see method_binding.hpp).
  void publish_invoker(std::string name, MethodInvoker invoker, PublishOptions options = {});

  // Removes a published method; false if there was none.
  bool unpublish(std::string_view name);

  // The class documentation answered by the meta call doc().
  void set_doc(std::optional<std::string> doc);

  // Names listed by the meta call `methods`, sorted.
  std::vector<std::string> published_names() const;

 private:
  struct Entry {
    MethodInvoker invoker;    // typed methods
    DeferredHandler deferred; // raw methods (exactly one of the two is set)
    PublishOptions options;
  };

  void add_entry(std::string name, std::shared_ptr<const Entry> entry);
  std::shared_ptr<const Entry> find(const std::string& name) const;
  void handle_method(const std::string& name, link::CallRequest& request);
  void handle_meta(const std::string& name, link::CallRequest& request);

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const Entry>, std::less<>> methods_;
  std::optional<std::string> class_doc_;
};

template <class Method>
  requires std::is_member_function_pointer_v<Method>
void External::publish(std::string name, Method method, PublishOptions options) {
  using Signature = binding_detail::signature_of<Method>;
  using Owner = typename binding_detail::member_owner<Method>::type;
  static_assert(std::is_base_of_v<External, Owner>,
                "publish(&C::m) needs C derived from versile::External; use a lambda otherwise");
  // The registry belongs to this object, so the method never outlives it; handle_call keeps
  // the object alive while a call runs.
  Owner* self = static_cast<Owner*>(this);
  auto call = [self, method](auto&&... args) -> typename Signature::result {
    return (self->*method)(std::forward<decltype(args)>(args)...);
  };
  publish_invoker(std::move(name),
                  bind_method<typename Signature::result>(std::move(call),
                                                          typename Signature::params{}),
                  std::move(options));
}

}  // namespace versile

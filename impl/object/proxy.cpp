#include "object/proxy.hpp"

#include <condition_variable>
#include <mutex>
#include <utility>

#include "link/link.hpp"
#include "object/remote_exception.hpp"

namespace versile {

std::shared_ptr<link::Link> Proxy::link() const { return peer_ ? peer_->link() : nullptr; }

ObjectRef Proxy::ref() const {
  if (!peer_) throw EntityTypeError("an empty Proxy has no object reference");
  return ObjectRef(peer_);
}

void Proxy::send(Tuple args, link::CallMode mode, CallHandler handler) const {
  std::shared_ptr<link::Link> target_link = link();
  if (!target_link) {
    handler(CallResult::failure(CallErrc::not_connected));
    return;
  }
  target_link->call(peer_, std::move(args), mode,
                    [handler = std::move(handler)](link::CallOutcome outcome) {
                      handler(CallResult::from_outcome(std::move(outcome)));
                    });
}

std::future<Entity> Proxy::send(Tuple args, link::CallMode mode) const {
  auto promise = std::make_shared<std::promise<Entity>>();
  std::future<Entity> future = promise->get_future();
  send(std::move(args), mode, [promise](CallResult result) {
    if (result.ok()) {
      promise->set_value(result.value());
    } else {
      promise->set_exception(result.exception_ptr());
    }
  });
  return future;
}

Entity Proxy::invoke(Tuple args, link::CallMode mode,
                     std::optional<std::chrono::nanoseconds> timeout) const {
  // The outcome crosses threads as a plain value and the exception is made on this thread:
  // no exception_ptr is shared with the strand (cheaper than a promise, and clean under TSan,
  // which cannot see libstdc++'s exception reference counting).
  struct Waiter {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<CallResult> result;
  };
  auto waiter = std::make_shared<Waiter>();
  send(std::move(args), mode, [waiter](CallResult result) {
    {
      std::scoped_lock lock(waiter->mutex);
      waiter->result.emplace(std::move(result));
    }
    waiter->done.notify_all();
  });
  std::unique_lock lock(waiter->mutex);
  const auto ready = [&] { return waiter->result.has_value(); };
  if (timeout) {
    if (!waiter->done.wait_for(lock, *timeout, ready)) throw CallError(CallErrc::timeout);
  } else {
    waiter->done.wait(lock, ready);
  }
  return waiter->result->get();
}

std::vector<std::string> Proxy::meta_methods() const {
  const Entity names = invoke(Tuple{Entity{}, Entity("methods")}, link::CallMode::normal);
  std::vector<std::string> result;
  for (const Entity& name : names.as_tuple()) result.push_back(name.as_string());
  return result;
}

std::optional<std::string> Proxy::meta_doc(std::optional<std::string_view> method) const {
  Tuple args = method ? Tuple{Entity{}, Entity("doc"), Entity(*method)}
                      : Tuple{Entity{}, Entity("doc")};
  const Entity doc = invoke(std::move(args), link::CallMode::normal);
  if (doc.is_none()) return std::nullopt;
  return doc.as_string();
}

}  // namespace versile

versile::Proxy versile::EntityConverter<versile::Proxy>::from_entity(const versile::Entity& e) {
  const ObjectRef* ref = e.get_if<ObjectRef>();
  if (!ref) throw EntityTypeError("expected a reference to a peer object, got " +
                                  std::string(to_string(e.type())));
  auto peer = ref->as<link::PeerObject>();
  if (!peer) throw EntityTypeError("the object reference is not a peer object of a link");
  return Proxy(std::move(peer));
}

versile::Entity versile::EntityConverter<versile::Proxy>::to_entity(const versile::Proxy& p) {
  return Entity(p.ref());
}

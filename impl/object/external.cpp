#include "object/external.hpp"

#include <mutex>
#include <stdexcept>

namespace versile {

namespace {

constexpr std::string_view meta_methods = "methods";
constexpr std::string_view meta_doc = "doc";
// The reference's exception for doc(name) with an unknown name (link.md §6.1, verified).
constexpr std::string_view not_exposed_message = "Not an exposed method";

void fail(link::CallRequest& request, DispatchErrc why) {
  request.responder.failure(make_error_code(why));
}

}  // namespace

void External::handle_call(link::CallRequest request) {
  // Keep this object alive while the call runs even if the peer releases it meanwhile.
  // (Empty when the object is not owned by a shared_ptr, e.g. in a unit test.)
  const auto keep_alive = weak_from_this().lock();
  const Tuple& args = request.args;
  if (args.empty()) return fail(request, DispatchErrc::no_arguments);
  if (const String* name = args[0].get_if<String>()) return handle_method(name->str(), request);
  if (!args[0].is_none()) return fail(request, DispatchErrc::bad_method_name);
  if (args.size() < 2) return fail(request, DispatchErrc::bad_meta_call);
  if (const String* meta = args[1].get_if<String>()) return handle_meta(meta->str(), request);
  fail(request, DispatchErrc::bad_meta_call);
}

bool External::handles_inline(const link::CallRequest& request) const {
  const Tuple& args = request.args;
  if (args.empty()) return false;
  const String* name = args[0].get_if<String>();
  if (!name) return false;
  const std::shared_ptr<const Entry> entry = find(name->str());
  return entry && entry->deferred && entry->options.runs_inline;
}

void External::handle_method(const std::string& name, link::CallRequest& request) {
  const std::shared_ptr<const Entry> entry = find(name);
  if (!entry) return fail(request, DispatchErrc::not_published);
  const std::span<const Entity> args = request.args.span().subspan(1);
  if (entry->invoker) {
    request.responder.complete(entry->invoker(args));
    return;
  }
  DeferredCall call{Tuple(std::vector<Entity>(args.begin(), args.end())), request.mode,
                    std::move(request.responder), request.link};
  try {
    entry->deferred(call);
  } catch (const VException& e) {
    if (call.responder.pending()) call.responder.exception(e.value());
  } catch (const RemoteException& e) {
    if (call.responder.pending()) call.responder.exception(e.value());
  } catch (const EntityTypeError&) {
    if (call.responder.pending()) call.responder.failure(make_error_code(DispatchErrc::bad_argument));
  } catch (...) {
    if (call.responder.pending()) call.responder.failure(make_error_code(DispatchErrc::method_failed));
  }
  // A handler that neither answered nor kept the responder leaves it here: its destructor
  // answers CALL_ERROR.
}

void External::handle_meta(const std::string& name, link::CallRequest& request) {
  const std::span<const Entity> args = request.args.span().subspan(2);
  if (name == meta_methods) {
    if (!args.empty()) return fail(request, DispatchErrc::bad_meta_call);
    std::vector<Entity> names;
    for (std::string& n : published_names()) names.emplace_back(std::move(n));
    request.responder.result(Tuple(std::move(names)));
    return;
  }
  if (name == meta_doc) {
    if (args.empty()) {
      std::shared_lock lock(mutex_);
      request.responder.result(class_doc_ ? Entity(*class_doc_) : Entity{});
      return;
    }
    if (args.size() != 1) return fail(request, DispatchErrc::bad_meta_call);
    const String* method = args[0].get_if<String>();
    if (!method) return fail(request, DispatchErrc::bad_meta_call);
    const std::shared_ptr<const Entry> entry = find(method->str());
    if (!entry) {
      request.responder.exception(Exception{Tuple{Entity(not_exposed_message)}});
      return;
    }
    request.responder.result(entry->options.doc ? Entity(*entry->options.doc) : Entity{});
    return;
  }
  fail(request, DispatchErrc::unknown_meta);
}

void External::publish_deferred(std::string name, DeferredHandler handler, PublishOptions options) {
  if (!handler) throw std::invalid_argument("publish_deferred: empty handler for " + name);
  add_entry(std::move(name),
            std::make_shared<const Entry>(Entry{{}, std::move(handler), std::move(options)}));
}

void External::publish_invoker(std::string name, MethodInvoker invoker, PublishOptions options) {
  if (!invoker) throw std::invalid_argument("publish: empty invoker for " + name);
  add_entry(std::move(name),
            std::make_shared<const Entry>(Entry{std::move(invoker), {}, std::move(options)}));
}

void External::add_entry(std::string name, std::shared_ptr<const Entry> entry) {
  if (!is_valid_utf8(name)) throw std::invalid_argument("publish: method name is not UTF-8");
  std::unique_lock lock(mutex_);
  auto [it, inserted] = methods_.try_emplace(std::move(name), std::move(entry));
  if (!inserted) throw std::invalid_argument("publish: a method is already published as " + it->first);
}

bool External::unpublish(std::string_view name) {
  std::unique_lock lock(mutex_);
  auto it = methods_.find(name);
  if (it == methods_.end()) return false;
  methods_.erase(it);
  return true;
}

void External::set_doc(std::optional<std::string> doc) {
  std::unique_lock lock(mutex_);
  class_doc_ = std::move(doc);
}

std::vector<std::string> External::published_names() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, entry] : methods_) {
    if (entry->options.show) names.push_back(name);  // std::map order = code point order
  }
  return names;
}

std::shared_ptr<const External::Entry> External::find(const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = methods_.find(name);
  return it == methods_.end() ? nullptr : it->second;
}

}  // namespace versile

#include "vse/stream/streamer.hpp"

#include <utility>

#include "link/link.hpp"
#include "link/peer_object.hpp"
#include "vse/stream/fixed_data.hpp"

namespace versile::stream {
namespace {

constexpr std::string_view published_methods[] = {
    "peer_connect",      "peer_read_start",  "peer_read_lim",
    "peer_write_start",  "peer_write_push",  "peer_trunc_before",
    "peer_trunc_after",  "peer_close",       "peer_fail"};

std::unique_ptr<StreamerData> checked(ElementKind kind, std::unique_ptr<StreamerData> data) {
  if (!data) throw StreamError(StreamErrc::streamer_requires_data);
  if (data->kind() != kind) throw StreamError("Streamer data has the wrong element type");
  return data;
}

}  // namespace

Streamer::Streamer(ElementKind kind, std::unique_ptr<StreamerData> data,
                   const StreamerConfig& config)
    : External("VSE streamer (stream.md §5)"),
      kind_(kind),
      mode_(config.mode),
      core_([&] {
        auto d = checked(kind, std::move(data));
        // The data lives inside the core, which this object owns, so `this` outlives it.
        d->set_endpoints_listener([this] { on_endpoints_changed(); });
        return d;
      }(),
            config) {
  for (std::string_view name : published_methods) {
    // The core only updates state and queues calls (like the push results, which already
    // arrive on the link strand), so the calls run there too: no executor hand-off per package.
    publish_deferred(std::string(name),
                     [this, name](DeferredCall& call) { on_call(name, call); },
                     PublishOptions{.doc = std::nullopt, .show = true, .runs_inline = true});
  }
}

Streamer::~Streamer() {
  if (link_listener_) {
    if (auto link = link_.lock()) link->remove_close_listener(*link_listener_);
  }
}

void Streamer::watch_link(const ObjectRef& peer) {
  auto link = peer.as<link::PeerObject>() ? peer.as<link::PeerObject>()->link() : nullptr;
  if (!link || link_listener_) return;
  link_ = link;
  std::weak_ptr<Streamer> self = std::static_pointer_cast<Streamer>(shared_from_this());
  link_listener_ = link->add_close_listener([self](std::error_code) {
    if (auto s = self.lock()) s->on_link_closed();
  });
}

void Streamer::on_link_closed() {
  std::scoped_lock lock(mutex_);
  if (core_.failed() || core_.done()) return;  // a closed stream stays closed
  core_.handle_link_lost();
  process();
}

Entity Streamer::proxy() {
  return encode_streamer_tag(kind_, ObjectRef(shared_from_this()),
                             static_cast<std::int64_t>(mode_));
}

void Streamer::set_write_buffering(std::int64_t num, std::optional<std::int64_t> step) {
  std::scoped_lock lock(mutex_);
  core_.set_write_buffering(num, step);
  process();
}

bool Streamer::connected() const {
  std::scoped_lock lock(mutex_);
  return core_.connected();
}
bool Streamer::failed() const {
  std::scoped_lock lock(mutex_);
  return core_.failed();
}
bool Streamer::done() const {
  std::scoped_lock lock(mutex_);
  return core_.done();
}

void Streamer::on_call(std::string_view method, DeferredCall& call) {
  std::scoped_lock lock(mutex_);
  const std::uint64_t token = next_token_++;
  responders_.emplace(token, std::move(call.responder));
  std::vector<Entity> args(call.args.begin(), call.args.end());
  if (method == "peer_connect" && !args.empty()) {
    // The stream peer must be an object of the peer side of this link (a PeerObject); anything
    // else cannot be called back and is an argument error.
    const ObjectRef* ref = args[0].get_if<ObjectRef>();
    if (!ref || !ref->as<link::PeerObject>()) args[0] = Entity();
  }
  core_.handle_call(token, method, args);
  if (method == "peer_connect" && core_.connected() && !core_.peer().is_none()) {
    watch_link(core_.peer().get<ObjectRef>());
  }
  process();
}

void Streamer::on_outcome(std::int64_t msg_id, const CallResult& result) {
  std::scoped_lock lock(mutex_);
  if (result.is_error() && (result.error() == CallErrc::link_lost ||
                            result.error() == CallErrc::not_connected)) {
    core_.handle_link_lost();
  } else {
    CallReply outcome;
    switch (result.kind()) {
      case CallResult::Kind::result: outcome = CallReply::result(result.value()); break;
      case CallResult::Kind::exception: outcome = CallReply::exception(result.value()); break;
      case CallResult::Kind::error: outcome = CallReply::error_code(result.error()); break;
    }
    core_.handle_call_outcome(msg_id, outcome);
  }
  process();
}

void Streamer::on_endpoints_changed() {
  std::scoped_lock lock(mutex_);
  core_.handle_endpoints_changed();
  process();
}

void Streamer::process() {
  for (;;) {
    auto actions = core_.take_actions();
    if (actions.empty()) break;
    for (auto& action : actions) {
      if (auto* reply = std::get_if<ReplyAction>(&action)) {
        auto it = responders_.find(reply->token);
        if (it == responders_.end()) continue;
        link::Responder responder = std::move(it->second);
        responders_.erase(it);
        switch (reply->reply.kind) {
          case CallReply::Kind::result: responder.result(std::move(reply->reply.value)); break;
          case CallReply::Kind::exception:
            responder.exception(std::move(reply->reply.value));
            break;
          case CallReply::Kind::error: responder.failure(reply->reply.error); break;
        }
      } else {
        send_call(std::get<StreamerCall>(action));
      }
    }
  }
  if (core_.connected() && !peer_.valid() && !core_.peer_releasable() && !core_.peer().is_none()) {
    peer_ = core_.peer().as<Proxy>();
  }
  if (core_.peer_releasable()) peer_ = Proxy();  // nothing more will be sent: drop the peer
}

void Streamer::send_call(const StreamerCall& call) {
  if (!peer_.valid()) peer_ = core_.peer().as<Proxy>();
  std::vector<Entity> args;
  args.reserve(call.args.size() + 1);
  args.emplace_back(call.method);
  args.insert(args.end(), call.args.begin(), call.args.end());
  std::weak_ptr<Streamer> self = std::static_pointer_cast<Streamer>(shared_from_this());
  const std::int64_t msg_id = call.msg_id;
  peer_.send(Tuple(std::move(args)), link::CallMode::normal, [self, msg_id](CallResult r) {
    if (auto s = self.lock()) s->on_outcome(msg_id, r);
  });
}

StreamerRef<ByteStreamer> ByteStreamer::create(std::unique_ptr<StreamerData> data,
                                               const StreamerConfig& config) {
  return StreamerRef<ByteStreamer>(std::make_shared<ByteStreamer>(std::move(data), config));
}

StreamerRef<ByteStreamer> ByteStreamer::fixed(Bytes data, bool seek_rew, bool seek_fwd,
                                              StreamerConfig config) {
  auto d = std::make_unique<FixedBytesData>(std::move(data));
  config.mode = d->req_mode().bits | (seek_rew ? mode::seek_rew : 0) |
                (seek_fwd ? mode::seek_fwd : 0);
  return create(std::move(d), config);
}

StreamerRef<EntityStreamer> EntityStreamer::create(std::unique_ptr<StreamerData> data,
                                                   const StreamerConfig& config) {
  return StreamerRef<EntityStreamer>(std::make_shared<EntityStreamer>(std::move(data), config));
}

StreamerRef<EntityStreamer> EntityStreamer::fixed(Tuple items, bool seek_rew, bool seek_fwd,
                                                  StreamerConfig config) {
  auto d = std::make_unique<FixedEntitiesData>(std::move(items));
  config.mode = d->req_mode().bits | (seek_rew ? mode::seek_rew : 0) |
                (seek_fwd ? mode::seek_fwd : 0);
  return create(std::move(d), config);
}

StreamerRef<EntityStreamer> EntityStreamer::iterator(IteratorEntitiesData::Generator next,
                                                     std::int64_t buf_len,
                                                     StreamerConfig config) {
  auto d = std::make_unique<IteratorEntitiesData>(std::move(next), buf_len);
  config.mode = d->req_mode().bits;
  return create(std::move(d), config);
}

}  // namespace versile::stream

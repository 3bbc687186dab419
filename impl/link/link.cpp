#include "link/link.hpp"

#include <utility>

namespace versile::link {

namespace {

// Guarantees that an application completion runs exactly once: if the strand task carrying it
// is dropped (driver gone), the destructor reports the link as closed.
class CompletionOnce {
 public:
  explicit CompletionOnce(std::function<void(CallOutcome)> done) : done_(std::move(done)) {}
  ~CompletionOnce() {
    if (done_) done_(CallOutcome::failure(Errc::link_closed));
  }
  CompletionOnce(const CompletionOnce&) = delete;
  CompletionOnce& operator=(const CompletionOnce&) = delete;
  void operator()(CallOutcome outcome) {
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) done(std::move(outcome));
  }

 private:
  std::function<void(CallOutcome)> done_;
};

}  // namespace

class Link::CoreEvents final : public LinkCoreEvents {
 public:
  explicit CoreEvents(Link& link) : link_(link) {}

  void output_ready() override {
    if (auto d = driver()) d->output_ready();
  }
  void peer_gateway_received(const std::shared_ptr<PeerObject>& gateway) override {
    std::unique_lock lock(link_.mutex_);
    link_.weak_gateway_ = gateway;
    link_.gateway_received_ = true;
    if (link_.config_.hold_peer_gateway || link_.gateway_waiters_ > 0) link_.held_gateway_ = gateway;
    link_.changed_.notify_all();
  }
  void handshake_complete() override {}
  void incoming_call(std::shared_ptr<CallTarget> target, CallRequest request) override {
    const bool run_here = !link_.config_.executor || target->handles_inline(request);
    auto task = [target = std::move(target),
                 req = std::make_shared<CallRequest>(std::move(request))]() mutable {
      try {
        target->handle_call(std::move(*req));
      } catch (...) {
        // The moved-from request's Responder (if still armed) answers CALL_ERROR.
      }
    };
    if (run_here) {
      task();
    } else {
      link_.config_.executor(std::move(task));
    }
  }
  void timer_wanted(time_point when) override {
    if (auto d = driver()) d->schedule_timer(when);
  }
  void close_transport(bool abort) override {
    if (auto d = driver()) d->close_transport(abort);
  }
  void link_closed(std::error_code reason) override { link_.handle_closed(reason); }

 private:
  std::shared_ptr<LinkDriver> driver() {
    std::scoped_lock lock(link_.mutex_);
    return link_.driver_;
  }
  Link& link_;
};

std::shared_ptr<Link> Link::create(LinkConfig config) {
  auto link = std::make_shared<Link>(Passkey{}, std::move(config));
  link->core_->attach(link, link);
  return link;
}

Link::Link(Passkey, LinkConfig config)
    : config_(config), events_(std::make_unique<CoreEvents>(*this)),
      core_(std::make_unique<LinkCore>(std::move(config), *events_)) {}

Link::~Link() = default;

void Link::attach_driver(std::shared_ptr<LinkDriver> driver) {
  std::scoped_lock lock(mutex_);
  driver_ = std::move(driver);
}

// ---- driver side (strand) ----

void Link::start() {
  core_->start();
  sync();
}
void Link::on_received(std::span<const std::uint8_t> bytes) {
  core_->receive(bytes);
  sync();
}
codec::Decoder::DirectInput Link::direct_input(std::size_t min_size) {
  return core_->direct_input(min_size);
}
void Link::on_received_direct(const std::uint8_t* window_start, std::size_t n) {
  core_->receive_direct(window_start, n);
  sync();
}
void Link::on_eof() {
  core_->receive_eof();
  sync();
}
void Link::on_transport_error(std::error_code error) {
  core_->receive_transport_error(error);
  sync();
}
void Link::on_timer() {
  core_->on_timer(config_.clock());
  sync();
}
std::vector<codec::OutputBuffer::Chunk> Link::output_chunks() { return core_->output_chunks(); }
void Link::consume_output(std::size_t n) {
  core_->consume_output(n);
  sync();
}
bool Link::has_output() const { return core_->has_output(); }

void Link::sync() {
  std::scoped_lock lock(mutex_);
  if (status_ != LinkStatus::closed) status_ = core_->status();
  stats_ = core_->stats();
  if (!peer_hello_ && core_->hello_accepted()) peer_hello_ = core_->peer_hello();
  changed_.notify_all();
}

bool Link::post_to_core(std::function<void(LinkCore&)> fn) {
  std::shared_ptr<LinkDriver> driver;
  {
    std::scoped_lock lock(mutex_);
    driver = driver_;
  }
  if (!driver) return false;
  driver->post([weak = weak_from_this(), fn = std::move(fn)] {
    if (auto self = weak.lock()) {
      fn(*self->core_);
      self->sync();
    }
  });
  return true;
}

// ---- application side ----

std::shared_ptr<PeerObject> Link::peer_gateway(std::chrono::milliseconds timeout,
                                               std::error_code& error) {
  std::shared_ptr<PeerObject> gateway;
  std::unique_lock lock(mutex_);
  ++gateway_waiters_;
  changed_.wait_for(lock, timeout,
                    [this] { return gateway_received_ || status_ == LinkStatus::closed; });
  --gateway_waiters_;
  error.clear();
  if (status_ == LinkStatus::closed) {
    error = close_error_ ? close_error_ : make_error_code(Errc::link_closed);
  } else if (!gateway_received_) {
    error = Errc::timeout;
  } else {
    gateway = held_gateway_ ? held_gateway_ : weak_gateway_.lock();
    if (!config_.hold_peer_gateway) held_gateway_.reset();  // handed over to the caller
    if (!gateway) error = Errc::gateway_unavailable;
  }
  return gateway;
}

std::shared_ptr<PeerObject> Link::peer_gateway(std::chrono::milliseconds timeout) {
  std::error_code ec;
  auto gw = peer_gateway(timeout, ec);
  if (ec) throw LinkError(ec, "peer_gateway");
  return gw;
}

void Link::call(std::shared_ptr<PeerObject> target, Tuple args, CallMode mode,
                std::function<void(CallOutcome)> done) {
  std::error_code closed_reason;
  {
    std::scoped_lock lock(mutex_);
    if (status_ == LinkStatus::closed || !driver_) {
      closed_reason = close_error_ ? close_error_ : make_error_code(Errc::link_closed);
    }
  }
  if (closed_reason) {
    if (done) done(CallOutcome::failure(closed_reason));
    return;
  }
  auto once = std::make_shared<CompletionOnce>(std::move(done));
  bool posted = post_to_core([target = std::move(target), args = std::move(args), mode,
                              once](LinkCore& core) mutable {
    core.call(target, std::move(args), mode, [once](CallOutcome o) { (*once)(std::move(o)); });
  });
  if (!posted) (*once)(CallOutcome::failure(Errc::link_closed));
}

void Link::shutdown(bool force) {
  post_to_core([force](LinkCore& core) { core.shutdown(force); });
}

bool Link::wait_closed(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return status_ == LinkStatus::closed; });
}

LinkStatus Link::status() const {
  std::scoped_lock lock(mutex_);
  return status_;
}

std::error_code Link::close_error() const {
  std::scoped_lock lock(mutex_);
  return close_error_;
}

std::optional<PeerHello> Link::peer_hello() const {
  std::scoped_lock lock(mutex_);
  return peer_hello_;
}

LinkStats Link::stats() const {
  std::scoped_lock lock(mutex_);
  return stats_;
}

Link::ListenerId Link::add_close_listener(CloseListener listener) {
  std::error_code reason;
  {
    std::scoped_lock lock(mutex_);
    if (status_ != LinkStatus::closed) {
      ListenerId id = next_listener_id_++;
      close_listeners_.emplace(id, std::move(listener));
      return id;
    }
    reason = close_error_;
  }
  listener(reason);
  return 0;
}

void Link::remove_close_listener(ListenerId id) {
  std::scoped_lock lock(mutex_);
  close_listeners_.erase(id);
}

void Link::handle_closed(std::error_code reason) {
  std::map<ListenerId, CloseListener> listeners;
  std::shared_ptr<PeerObject> gateway;
  {
    std::scoped_lock lock(mutex_);
    status_ = LinkStatus::closed;
    close_error_ = reason;
    listeners.swap(close_listeners_);
    gateway = std::move(held_gateway_);
    stats_ = core_->stats();
    changed_.notify_all();
  }
  gateway.reset();
  for (auto& [id, listener] : listeners) listener(reason);
}

// ---- LinkBackChannel ----

void Link::peer_object_released(std::uint64_t id, std::uint64_t generation) noexcept {
  try {
    post_to_core([id, generation](LinkCore& core) { core.peer_object_released(id, generation); });
  } catch (...) {
    // Out of memory while posting: the reference stays registered until the link closes.
  }
}

void Link::incoming_call_completed(std::uint64_t call_id, CallMode mode,
                                   CallOutcome outcome) noexcept {
  try {
    post_to_core([call_id, mode, outcome = std::move(outcome)](LinkCore& core) mutable {
      core.complete_incoming_call(call_id, mode, std::move(outcome));
    });
  } catch (...) {
    // Out of memory while posting: the call stays unanswered; the link still closes normally.
  }
}

}  // namespace versile::link

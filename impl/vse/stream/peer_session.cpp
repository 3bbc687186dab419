#include "vse/stream/peer_session.hpp"

#include <algorithm>
#include <utility>

namespace versile::stream {

std::shared_ptr<PeerSession> PeerSession::create(PeerConfig config,
                                                 std::shared_ptr<PeerTransport> transport) {
  return std::shared_ptr<PeerSession>(new PeerSession(std::move(config), std::move(transport)));
}

PeerSession::PeerSession(PeerConfig config, std::shared_ptr<PeerTransport> transport)
    : core_(std::move(config)), transport_(std::move(transport)) {}

PeerSession::~PeerSession() = default;

void PeerSession::set_peer_reference(Entity reference) {
  std::scoped_lock lock(mutex_);
  peer_reference_ = std::move(reference);
}

void PeerSession::connect() {
  std::unique_lock lock(mutex_);
  core_.connect();
  flush(lock);
}

// ---- action processing ----------------------------------------------------------------------

void PeerSession::flush(std::unique_lock<std::mutex>& lock) {
  auto actions = core_.take_actions();
  pending_actions_.insert(pending_actions_.end(), std::make_move_iterator(actions.begin()),
                          std::make_move_iterator(actions.end()));
  if (core_.generation() != seen_generation_) {
    seen_generation_ = core_.generation();
    changed_.notify_all();
    poll_async();
  }
  if (draining_) return;  // the draining thread picks these up, keeping the order
  draining_ = true;
  while (!pending_actions_.empty() || !pending_callbacks_.empty()) {
    auto batch = std::exchange(pending_actions_, {});
    auto callbacks = std::exchange(pending_callbacks_, {});
    lock.unlock();
    for (PeerAction& a : batch) perform(a);
    for (auto& cb : callbacks) {
      try {
        cb();
      } catch (...) {  // completion handlers must not break the stream's event processing
      }
    }
    lock.lock();
    auto more = core_.take_actions();
    pending_actions_.insert(pending_actions_.end(), std::make_move_iterator(more.begin()),
                            std::make_move_iterator(more.end()));
    if (core_.generation() != seen_generation_) {
      seen_generation_ = core_.generation();
      changed_.notify_all();
      poll_async();
    }
  }
  draining_ = false;
}

void PeerSession::perform(PeerAction& a) {
  switch (a.kind) {
    case PeerAction::Kind::call: {
      std::vector<Entity> items;
      items.reserve(a.args.size() + 2);
      items.emplace_back(a.method);
      if (!a.seq) items.push_back(peer_reference_);  // peer_connect(peer, ...)
      for (Entity& e : a.args) items.push_back(std::move(e));
      std::weak_ptr<PeerSession> weak = weak_from_this();
      auto seq = a.seq;
      transport_->send_call(Tuple(std::move(items)), [weak, seq](link::CallOutcome outcome) {
        auto self = weak.lock();
        if (!self) return;
        std::unique_lock lock(self->mutex_);
        if (seq) {
          self->core_.call_result(*seq, outcome);
        } else {
          self->core_.connect_result(std::move(outcome));
        }
        self->flush(lock);
      });
      break;
    }
    case PeerAction::Kind::reply: {
      std::function<void(link::CallOutcome)> reply;
      {
        std::scoped_lock lock(mutex_);
        auto it = replies_.find(a.token);
        if (it == replies_.end()) break;
        reply = std::move(it->second);
        replies_.erase(it);
      }
      reply(a.outcome());
      break;
    }
    case PeerAction::Kind::notify: {
      std::vector<std::shared_ptr<StreamObserver>> observers;
      {
        std::scoped_lock lock(mutex_);
        for (auto& w : observers_) {
          if (auto o = w.lock()) observers.push_back(std::move(o));
        }
        if (a.event == PeerEvent::failed || a.event == PeerEvent::closed) {
          observers_.clear();  // cleanup drops observers (§9.8)
        }
      }
      for (auto& o : observers) {
        try {
          switch (a.event) {
            case PeerEvent::can_recv: o->can_recv(); break;
            case PeerEvent::can_send: o->can_send(); break;
            case PeerEvent::closed: o->closed(); break;
            case PeerEvent::ctx_error: o->ctx_error(); break;
            case PeerEvent::failed: o->failed(); break;
          }
        } catch (...) {  // observer exceptions are swallowed (§9.5)
        }
      }
      break;
    }
    case PeerAction::Kind::release_streamer:
      transport_->release();
      {
        Entity reference;  // destroyed after the lock is released
        std::scoped_lock lock(mutex_);
        reference = std::exchange(peer_reference_, Entity());  // breaks the session ↔ peer cycle
      }
      break;
  }
}

void PeerSession::poll_async() {
  for (auto it = async_recvs_.begin(); it != async_recvs_.end();) {
    std::exception_ptr error;
    std::optional<Entity> data;
    try {
      data = core_.poll_recv(it->ticket, it->max_num);
    } catch (...) {
      error = std::current_exception();
    }
    if (error || data) {
      pending_callbacks_.push_back(
          [h = std::move(it->handler), error, d = data.value_or(Entity())] { h(error, d); });
      it = async_recvs_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = async_sends_.begin(); it != async_sends_.end();) {
    std::exception_ptr error;
    std::optional<std::size_t> sent;
    try {
      sent = core_.poll_send(it->ticket, it->data);
    } catch (...) {
      error = std::current_exception();
    }
    if (error || sent) {
      pending_callbacks_.push_back(
          [h = std::move(it->handler), error, n = sent.value_or(0)] { h(error, n); });
      it = async_sends_.erase(it);
    } else {
      ++it;
    }
  }
}

// ---- transport side -------------------------------------------------------------------------

void PeerSession::incoming(const Tuple& args, std::function<void(link::CallOutcome)> reply) {
  std::unique_lock lock(mutex_);
  const IncomingToken token = next_token_++;
  replies_.emplace(token, std::move(reply));
  core_.incoming_call(token, args);
  flush(lock);
}

void PeerSession::link_lost() {
  std::unique_lock lock(mutex_);
  core_.link_lost();
  flush(lock);
}

// ---- waiting --------------------------------------------------------------------------------

template <class Poll>
auto PeerSession::wait_until_ready(std::unique_lock<std::mutex>& lock, Timeout timeout,
                                   Poll&& poll) -> std::remove_cvref_t<decltype(poll().value())> {
  const auto deadline =
      timeout ? std::chrono::steady_clock::now() + *timeout : std::chrono::steady_clock::time_point::max();
  for (;;) {
    decltype(poll()) result;
    try {
      result = poll();
    } catch (...) {
      flush(lock);
      throw;
    }
    // Taken before flush() releases the lock, so a change made meanwhile is not missed.
    const auto seen = core_.generation();
    flush(lock);
    if (result) return std::move(*result);
    if (timeout && std::chrono::steady_clock::now() >= deadline) throw StreamTimeout();
    if (timeout) {
      changed_.wait_until(lock, deadline, [&] { return core_.generation() != seen; });
    } else {
      changed_.wait(lock, [&] { return core_.generation() != seen; });
    }
  }
}

bool PeerSession::wait_status(WaitFlags flags, Timeout timeout) {
  std::unique_lock lock(mutex_);
  auto matches = [&] {
    const StatusFlags s = core_.status();
    return (flags.connected && s.connected) || (flags.active && s.active) ||
           (flags.done && s.done) || (flags.failed && s.failed) || (flags.closed && s.closed);
  };
  if (!timeout) {
    changed_.wait(lock, matches);
    return true;
  }
  return changed_.wait_for(lock, *timeout, matches);
}

StatusFlags PeerSession::status() const {
  std::scoped_lock lock(mutex_);
  return core_.status();
}

Mode PeerSession::mode() const {
  std::scoped_lock lock(mutex_);
  return core_.mode();
}

ElementKind PeerSession::kind() const {
  std::scoped_lock lock(mutex_);
  return core_.kind();
}

Entity PeerSession::recv(std::size_t max_num, Timeout timeout) {
  std::unique_lock lock(mutex_);
  PeerCore::Ticket ticket;
  try {
    ticket = core_.begin_recv(max_num);
  } catch (...) {
    flush(lock);
    throw;
  }
  return wait_until_ready(lock, timeout, [&] { return core_.poll_recv(ticket, max_num); });
}

std::size_t PeerSession::send(const Entity& data, Timeout timeout) {
  std::unique_lock lock(mutex_);
  PeerCore::Ticket ticket;
  try {
    ticket = core_.begin_send(data);
  } catch (...) {
    flush(lock);
    throw;
  }
  return wait_until_ready(lock, timeout, [&] { return core_.poll_send(ticket, data); });
}

std::int64_t PeerSession::pos(Timeout timeout) {
  std::unique_lock lock(mutex_);
  return wait_until_ready(lock, timeout, [&] { return core_.poll_pos(); });
}

void PeerSession::rseek(std::int64_t p, PosRef ref, Timeout timeout) {
  if (ref == PosRef::current) {
    p += pos(timeout);
    ref = PosRef::abs;
  }
  std::unique_lock lock(mutex_);
  try {
    core_.rseek(p, ref);
  } catch (...) {
    flush(lock);
    throw;
  }
  flush(lock);
}

void PeerSession::wseek(std::int64_t p, PosRef ref, Timeout timeout) {
  if (ref == PosRef::current) {
    p += pos(timeout);
    ref = PosRef::abs;
  }
  std::unique_lock lock(mutex_);
  try {
    core_.wseek(p, ref);
  } catch (...) {
    flush(lock);
    throw;
  }
  flush(lock);
}

void PeerSession::seek(std::int64_t p, PosRef ref, Timeout timeout) {
  if (ref == PosRef::current) {
    p += pos(timeout);
    ref = PosRef::abs;
  }
  std::unique_lock lock(mutex_);
  try {
    core_.seek(p, ref);
  } catch (...) {
    flush(lock);
    throw;
  }
  flush(lock);
}

void PeerSession::trunc(bool before, Timeout timeout) {
  std::unique_lock lock(mutex_);
  const PeerCore::Ticket ticket = core_.begin_trunc(before);
  wait_until_ready(lock, timeout, [&]() -> std::optional<bool> {
    if (core_.poll_trunc(ticket, before)) return true;
    return std::nullopt;
  });
}

void PeerSession::close() {
  std::unique_lock lock(mutex_);
  core_.close();
  flush(lock);
}

void PeerSession::handle_dropped() {
  std::unique_lock lock(mutex_);
  core_.handle_dropped();
  flush(lock);
}

void PeerSession::set_readahead(std::int64_t num, std::optional<std::int64_t> step) {
  std::unique_lock lock(mutex_);
  core_.set_readahead(num, step);
  flush(lock);
}

void PeerSession::enable_readahead() {
  std::unique_lock lock(mutex_);
  core_.enable_readahead();
  flush(lock);
}

void PeerSession::disable_readahead() {
  std::unique_lock lock(mutex_);
  core_.disable_readahead();
}

void PeerSession::set_eos_policy(bool eos) {
  std::unique_lock lock(mutex_);
  core_.set_eos_policy(eos);
}

void PeerSession::check_readable() const {
  std::scoped_lock lock(mutex_);
  core_.check_readable();
}

void PeerSession::async_recv(std::size_t max_num, RecvHandler handler) {
  std::unique_lock lock(mutex_);
  std::exception_ptr error;
  try {
    PeerCore::Ticket ticket = core_.begin_recv(max_num);
    async_recvs_.push_back(AsyncRecv{max_num, ticket, std::move(handler)});
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    pending_callbacks_.push_back([h = std::move(handler), error] { h(error, Entity()); });
  } else {
    poll_async();
  }
  flush(lock);
}

void PeerSession::async_send(Entity data, SendHandler handler) {
  std::unique_lock lock(mutex_);
  std::exception_ptr error;
  try {
    PeerCore::Ticket ticket = core_.begin_send(data);
    async_sends_.push_back(AsyncSend{std::move(data), ticket, std::move(handler)});
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    pending_callbacks_.push_back([h = std::move(handler), error] { h(error, 0); });
  } else {
    poll_async();
  }
  flush(lock);
}

void PeerSession::add_observer(const std::shared_ptr<StreamObserver>& observer) {
  std::scoped_lock lock(mutex_);
  for (auto& w : observers_) {
    if (w.lock() == observer) return;  // duplicates ignored
  }
  observers_.push_back(observer);
}

void PeerSession::remove_observer(const std::shared_ptr<StreamObserver>& observer) {
  std::scoped_lock lock(mutex_);
  std::erase_if(observers_, [&](const std::weak_ptr<StreamObserver>& w) {
    auto o = w.lock();
    return !o || o == observer;
  });
}

}  // namespace versile::stream

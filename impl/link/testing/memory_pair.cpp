#include "link/testing/memory_pair.hpp"

#include <algorithm>
#include <utility>

namespace versile::link::testing {

// ---------------------------------------------------------------------------------------------
// MemoryLoop

MemoryLoop::~MemoryLoop() { stop(); }

void MemoryLoop::post(std::function<void()> fn) {
  {
    std::scoped_lock lock(mutex_);
    tasks_.push_back(std::move(fn));
  }
  cv_.notify_all();
}

void MemoryLoop::set_timer(const void* key, time_point when, std::function<void()> fn) {
  {
    std::scoped_lock lock(mutex_);
    std::erase_if(timers_, [key](const Timer& t) { return t.key == key; });
    if (when != time_point::max()) timers_.push_back({key, when, std::move(fn)});
  }
  cv_.notify_all();
}

bool MemoryLoop::run_one_locked(std::unique_lock<std::mutex>& lock, time_point now) {
  std::function<void()> fn;
  if (!tasks_.empty()) {
    fn = std::move(tasks_.front());
    tasks_.pop_front();
  } else {
    auto due = std::min_element(timers_.begin(), timers_.end(),
                                [](const Timer& a, const Timer& b) { return a.when < b.when; });
    if (due == timers_.end() || due->when > now) return false;
    fn = std::move(due->fn);
    timers_.erase(due);
  }
  lock.unlock();
  fn();
  lock.lock();
  return true;
}

std::size_t MemoryLoop::run_until_idle() { return run_until_idle(std::chrono::steady_clock::now()); }

std::size_t MemoryLoop::run_until_idle(time_point now) {
  std::size_t n = 0;
  std::unique_lock lock(mutex_);
  while (run_one_locked(lock, now)) ++n;
  return n;
}

void MemoryLoop::start_thread() {
  std::scoped_lock lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (run_one_locked(lock, std::chrono::steady_clock::now())) continue;
      auto next = time_point::max();
      for (const auto& t : timers_) next = std::min(next, t.when);
      if (next == time_point::max()) {
        cv_.wait(lock);
      } else {
        cv_.wait_until(lock, next);
      }
    }
  });
}

void MemoryLoop::stop() {
  std::thread t;
  {
    std::scoped_lock lock(mutex_);
    stopping_ = true;
    t = std::move(thread_);
  }
  cv_.notify_all();
  if (t.joinable()) t.join();
}

// ---------------------------------------------------------------------------------------------
// MemoryDriver: delivers one link's output to the other link, in order, through the loop.

namespace {

class MemoryDriver final : public LinkDriver, public std::enable_shared_from_this<MemoryDriver> {
 public:
  MemoryDriver(std::shared_ptr<MemoryLoop> loop, std::weak_ptr<Link> link)
      : loop_(std::move(loop)), link_(std::move(link)) {}

  void set_peer(std::weak_ptr<MemoryDriver> peer) { peer_ = std::move(peer); }

  void post(std::function<void()> fn) override { loop_->post(std::move(fn)); }

  void output_ready() override {
    if (flush_posted_) return;
    flush_posted_ = true;
    loop_->post([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->flush();
    });
  }

  void close_transport(bool abort) override {
    if (closed_) return;
    closed_ = true;
    loop_->set_timer(this, time_point::max(), {});
    if (auto peer = peer_.lock()) peer->deliver_end(abort);
  }

  void schedule_timer(time_point when) override {
    loop_->set_timer(this, when, [weak = link_] {
      if (auto link = weak.lock()) link->on_timer();
    });
  }

 private:
  void flush() {
    flush_posted_ = false;
    auto link = link_.lock();
    if (!link || closed_) return;
    std::vector<std::uint8_t> bytes;
    for (const auto& c : link->output_chunks()) bytes.insert(bytes.end(), c.data, c.data + c.size);
    std::size_t n = bytes.size();
    if (n == 0) return;
    if (auto peer = peer_.lock()) peer->deliver(std::move(bytes));
    link->consume_output(n);
  }

  void deliver(std::vector<std::uint8_t> bytes) {
    loop_->post([weak = weak_from_this(), bytes = std::move(bytes)] {
      auto self = weak.lock();
      if (!self || self->closed_ || self->input_ended_) return;
      if (auto link = self->link_.lock()) link->on_received(bytes);
    });
  }

  void deliver_end(bool abort) {
    loop_->post([weak = weak_from_this(), abort] {
      auto self = weak.lock();
      if (!self || self->input_ended_) return;
      self->input_ended_ = true;
      auto link = self->link_.lock();
      if (!link) return;
      if (abort) {
        link->on_transport_error(Errc::transport_error);
      } else {
        link->on_eof();
      }
    });
  }

  std::shared_ptr<MemoryLoop> loop_;
  std::weak_ptr<Link> link_;
  std::weak_ptr<MemoryDriver> peer_;
  bool flush_posted_ = false;  // strand-only state
  bool closed_ = false;
  bool input_ended_ = false;
};

}  // namespace

MemoryPair make_memory_pair(LinkConfig a_config, LinkConfig b_config, bool threaded) {
  MemoryPair pair;
  pair.loop = std::make_shared<MemoryLoop>();
  pair.a = Link::create(std::move(a_config));
  pair.b = Link::create(std::move(b_config));
  auto da = std::make_shared<MemoryDriver>(pair.loop, pair.a);
  auto db = std::make_shared<MemoryDriver>(pair.loop, pair.b);
  da->set_peer(db);
  db->set_peer(da);
  pair.a->attach_driver(da);
  pair.b->attach_driver(db);
  pair.loop->post([a = pair.a] { a->start(); });
  pair.loop->post([b = pair.b] { b->start(); });
  if (threaded) pair.loop->start_thread();
  return pair;
}

}  // namespace versile::link::testing

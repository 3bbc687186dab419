// A small gateway and helpers shared by the io tests.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "entity/entity.hpp"
#include "io/transport_tap.hpp"
#include "object/external.hpp"
#include "object/vexception.hpp"

namespace versile::io::testing {

// A one-shot gate that a test opens; waits are bounded so that no test can hang.
class Gate {
 public:
  void open() {
    std::scoped_lock l{m_};
    open_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock l{m_};
    return cv_.wait_for(l, timeout, [&] { return open_; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

class TestGateway : public External {
 public:
  TestGateway() {
    publish("add", [](Integer a, Integer b) { return Integer(a.to_big() + b.to_big()); });
    publish("echo", [](Entity v) { return v; });
    publish("fail", [](std::string message) -> Entity { throw VException(message); });
    // Blocks until the test opens `release` (bounded), after announcing it started.
    publish("block", [this]() -> std::string {
      started.open();
      release.wait();
      return "released";
    });
    publish("sleep_ms", [](std::int64_t ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return ms;
    });
  }
  Gate started;
  Gate release;
};

// Records what a TransportTap sees, thread-safe.
class RecordingTap : public TransportTap {
 public:
  struct Event {
    TapDirection dir;
    enum class Kind { data, eof, error } kind;
    std::vector<std::uint8_t> bytes;
  };
  void on_data(TapDirection dir, Clock::time_point, std::span<const std::uint8_t> b) override {
    std::scoped_lock l{m_};
    events_.push_back({dir, Event::Kind::data, {b.begin(), b.end()}});
  }
  void on_eof(TapDirection dir, Clock::time_point) override {
    std::scoped_lock l{m_};
    events_.push_back({dir, Event::Kind::eof, {}});
  }
  void on_error(TapDirection dir, Clock::time_point, const boost::system::error_code&) override {
    std::scoped_lock l{m_};
    events_.push_back({dir, Event::Kind::error, {}});
  }
  std::vector<Event> events() const {
    std::scoped_lock l{m_};
    return events_;
  }
  std::string stream(TapDirection dir) const {
    std::string s;
    for (const auto& e : events()) {
      if (e.dir == dir && e.kind == Event::Kind::data) s.append(e.bytes.begin(), e.bytes.end());
    }
    return s;
  }

 private:
  mutable std::mutex m_;
  std::vector<Event> events_;
};

}  // namespace versile::io::testing

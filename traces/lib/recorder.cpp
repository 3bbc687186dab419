#include "recorder.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "decode.hpp"

namespace vpstream::traces {

TraceRecorder::TraceRecorder(std::string scenario, std::string description, std::string side_a,
                             std::string side_b) {
  trace_.header = {{"format", "vp-trace/1"},
                   {"scenario", std::move(scenario)},
                   {"description", std::move(description)},
                   {"recorded_with", "vpstream conform (transport tap)"},
                   {"sides", {{"a", std::move(side_a)}, {"b", std::move(side_b)}}}};
}

double TraceRecorder::now() const {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start_);
  return static_cast<double>(us.count()) / 1e6;
}

void TraceRecorder::chunk(Direction from, std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  std::scoped_lock l{mu_};
  Event e;
  e.kind = Event::Kind::raw;
  e.seq = next_seq_++;
  e.t = now();
  e.from = from;
  e.bytes.assign(bytes.begin(), bytes.end());
  (from == Direction::a ? bytes_a_ : bytes_b_) += bytes.size();
  last_chunk_ = std::chrono::steady_clock::now();
  trace_.events.push_back(std::move(e));
}

void TraceRecorder::step(std::string label) {
  std::scoped_lock l{mu_};
  Event e;
  e.kind = Event::Kind::step;
  e.seq = next_seq_++;
  e.t = now();
  e.step = next_step_++;
  e.label = std::move(label);
  e.offset_a = bytes_a_;
  e.offset_b = bytes_b_;
  trace_.events.push_back(std::move(e));
}

void TraceRecorder::eof(Direction from) {
  std::scoped_lock l{mu_};
  Event e;
  e.kind = Event::Kind::eof;
  e.seq = next_seq_++;
  e.t = now();
  e.from = from;
  trace_.events.push_back(std::move(e));
}

void TraceRecorder::error(Direction from, std::string what) {
  std::scoped_lock l{mu_};
  Event e;
  e.kind = Event::Kind::error;
  e.seq = next_seq_++;
  e.t = now();
  e.from = from;
  e.label = std::move(what);
  trace_.events.push_back(std::move(e));
}

void TraceRecorder::observe(const std::string& key, nlohmann::json value) {
  std::scoped_lock l{mu_};
  observed_[key] = std::move(value);
}

bool TraceRecorder::wait_quiet(std::chrono::milliseconds quiet, std::chrono::milliseconds limit) const {
  const auto begin = std::chrono::steady_clock::now();
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last;
    {
      std::scoped_lock l{mu_};
      last = std::max(last_chunk_, begin);
    }
    if (now - last >= quiet) return true;
    if (now - begin >= limit) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(quiet - (now - last), std::chrono::milliseconds(10)));
  }
}

bool TraceRecorder::catch_up(Progress& p) const {
  std::scoped_lock l{mu_};
  if (p.events >= trace_.events.size()) return false;
  for (auto it = trace_.events.begin() + static_cast<std::ptrdiff_t>(p.events); it != trace_.events.end(); ++it) {
    if (it->kind == Event::Kind::raw) {
      auto& stream = it->from == Direction::a ? p.a : p.b;
      stream.insert(stream.end(), it->bytes.begin(), it->bytes.end());
    } else if (it->kind == Event::Kind::step) {
      p.step = it->step;
      p.step_offset_a = it->offset_a;
      p.step_offset_b = it->offset_b;
    }
  }
  p.events = trace_.events.size();
  return true;
}

bool TraceRecorder::empty() const {
  std::scoped_lock l{mu_};
  return trace_.events.empty();
}

Trace TraceRecorder::finish(bool clean_shutdown) const {
  Trace t;
  {
    std::scoped_lock l{mu_};
    t = trace_;
    t.summary = {{"k", "summary"}, {"observed", observed_}};
  }
  rebuild_units(t);
  t.summary["clean_shutdown"] = clean_shutdown;
  return t;
}

}  // namespace vpstream::traces

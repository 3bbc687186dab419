// Test harness: LinkCores driven directly (no Link facade, no threads), with a back channel that
// queues PeerObject releases and Responder completions until the test pumps them.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "codec/vec_channel.hpp"
#include "entity/entity.hpp"
#include "entity/vej.hpp"
#include "link/link_core.hpp"
#include "link/testing_hooks.hpp"

namespace versile::link::test {

inline std::vector<std::uint8_t> hex_bytes(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (auto b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

inline Entity vej(std::string_view text) { return parse_vej(text); }

// Encodes an entity with raw references (as a misbehaving peer would write it).
inline std::vector<std::uint8_t> encode_raw(const Entity& e) { return codec::encode_to_vector(e); }

class QueueChannel final : public LinkBackChannel {
 public:
  void peer_object_released(std::uint64_t id, std::uint64_t generation) noexcept override {
    std::scoped_lock lock(m_);
    releases_.emplace_back(id, generation);
  }
  void incoming_call_completed(std::uint64_t call_id, CallMode mode,
                               CallOutcome outcome) noexcept override {
    std::scoped_lock lock(m_);
    replies_.emplace_back(call_id, mode, std::move(outcome));
  }
  // Forwards everything queued to `core`; true if anything was forwarded.
  bool drain(LinkCore& core) {
    std::deque<std::pair<std::uint64_t, std::uint64_t>> releases;
    std::deque<std::tuple<std::uint64_t, CallMode, CallOutcome>> replies;
    {
      std::scoped_lock lock(m_);
      releases.swap(releases_);
      replies.swap(replies_);
    }
    for (auto& [id, gen] : releases) core.peer_object_released(id, gen);
    for (auto& [id, mode, outcome] : replies) core.complete_incoming_call(id, mode, outcome);
    return !releases.empty() || !replies.empty();
  }

 private:
  std::mutex m_;
  std::deque<std::pair<std::uint64_t, std::uint64_t>> releases_;
  std::deque<std::tuple<std::uint64_t, CallMode, CallOutcome>> replies_;
};

class RecordingEvents final : public LinkCoreEvents {
 public:
  void peer_gateway_received(const std::shared_ptr<PeerObject>& gw) override {
    gateway = gw;
    ++gateways_received;
  }
  void handshake_complete() override { handshake_done = true; }
  void incoming_call(std::shared_ptr<CallTarget> target, CallRequest request) override {
    ++incoming_calls;
    if (on_call) {
      on_call(std::move(target), std::move(request));
    } else {
      target->handle_call(std::move(request));
    }
  }
  void timer_wanted(time_point when) override { timer = when; }
  void close_transport(bool abort) override { transport_closed = abort; }
  void link_closed(std::error_code reason) override {
    closed_reason = reason;
    ++closed_count;
  }

  std::function<void(std::shared_ptr<CallTarget>, CallRequest)> on_call;
  std::shared_ptr<PeerObject> gateway;  // held, like Py's hold_peer
  int gateways_received = 0;
  bool handshake_done = false;
  int incoming_calls = 0;
  time_point timer = time_point::max();
  std::optional<bool> transport_closed;  // value = abort flag
  std::optional<std::error_code> closed_reason;
  int closed_count = 0;
};

// Decodes a byte stream written by a link (VEC line, then entities) with raw references.
class StreamDecoder {
 public:
  // Feeds bytes; returns the entities completed by them. Errors fail the current test.
  std::vector<Entity> feed(std::span<const std::uint8_t> bytes) {
    std::vector<Entity> out;
    while (!bytes.empty()) {
      if (!line_done_) {
        auto r = line_.feed(bytes);
        bytes = bytes.subspan(r.consumed);
        EXPECT_NE(r.status, codec::VecHelloParser::Status::error);
        if (r.status != codec::VecHelloParser::Status::done) return out;
        line_done_ = true;
        codec::DecodeOptions opts;
        opts.peer_codec = line_.peer_codec();
        decoder_.emplace(opts);
        continue;
      }
      auto r = decoder_->feed(bytes);
      bytes = bytes.subspan(r.consumed);
      EXPECT_NE(r.status, codec::Decoder::Status::error) << r.error.message();
      if (r.status != codec::Decoder::Status::complete) return out;
      out.push_back(decoder_->take());
    }
    return out;
  }
  bool line_done() const { return line_done_; }

 private:
  codec::VecHelloParser line_;
  bool line_done_ = false;
  std::optional<codec::Decoder> decoder_;
};

// One LinkCore with its events and back channel.
struct CoreEnd {
  explicit CoreEnd(LinkConfig cfg = {}) : channel(std::make_shared<QueueChannel>()) {
    core = std::make_unique<LinkCore>(std::move(cfg), events);
    core->attach(channel);
  }
  // Takes (and consumes) all pending output.
  std::vector<std::uint8_t> take_output() {
    std::vector<std::uint8_t> bytes;
    for (const auto& c : core->output_chunks()) bytes.insert(bytes.end(), c.data, c.data + c.size);
    core->consume_output(bytes.size());
    wire.insert(wire.end(), bytes.begin(), bytes.end());
    return bytes;
  }
  // Takes output and decodes it into entities (the VEC line is parsed and dropped).
  std::vector<Entity> take_entities() {
    auto bytes = take_output();
    return decoder.feed(bytes);
  }
  // Drains the back channel until quiet (releases and replies may cascade).
  void drain() {
    while (channel->drain(*core)) {
    }
  }

  std::shared_ptr<QueueChannel> channel;
  RecordingEvents events;
  std::unique_ptr<LinkCore> core;
  std::vector<std::uint8_t> wire;  // everything this end wrote
  StreamDecoder decoder;           // for take_entities()
};

// Two cores connected back to back; pump() moves bytes and back-channel work until idle.
struct CorePair {
  CorePair(LinkConfig a_cfg = {}, LinkConfig b_cfg = {}) : a(std::move(a_cfg)), b(std::move(b_cfg)) {}

  void start() {
    a.core->start();
    b.core->start();
  }
  void pump() {
    for (int round = 0; round < 10000; ++round) {
      bool moved = false;
      moved |= transfer(a, b, a_ended);
      moved |= transfer(b, a, b_ended);
      a.drain();
      b.drain();
      moved |= transfer(a, b, a_ended);
      moved |= transfer(b, a, b_ended);
      if (!moved) return;
    }
    ADD_FAILURE() << "pump did not settle";
  }
  // Decoded view of everything each side wrote (VEC line excluded).
  std::vector<Entity> entities_from(const CoreEnd& end) const {
    StreamDecoder d;
    return d.feed(end.wire);
  }

  CoreEnd a;
  CoreEnd b;
  bool a_ended = false;  // a's end-of-stream was delivered to b
  bool b_ended = false;

 private:
  static bool transfer(CoreEnd& from, CoreEnd& to, bool& ended) {
    bool moved = false;
    auto bytes = from.take_output();
    if (!bytes.empty()) {
      if (!ended) to.core->receive(bytes);
      moved = true;
    }
    if (from.events.transport_closed && !ended) {
      ended = true;
      if (*from.events.transport_closed) {
        to.core->receive_transport_error(Errc::transport_error);
      } else {
        to.core->receive_eof();
      }
      moved = true;
    }
    return moved;
  }
};

// A CallTarget that answers from a function (or stores the request for later).
class FnTarget final : public Object, public CallTarget {
 public:
  using Fn = std::function<void(CallRequest&)>;
  explicit FnTarget(Fn fn = {}) : fn_(std::move(fn)) {}
  void handle_call(CallRequest request) override {
    ++calls;
    if (fn_) {
      fn_(request);
    } else {
      held.push_back(std::move(request));
    }
  }
  int calls = 0;
  std::vector<CallRequest> held;

 private:
  Fn fn_;
};

inline constexpr std::string_view kPeerStartHex =
    "5645435f44524146542d302e382d757466380a"  // VEC line
    "f603f309f603f2f406f425f602010968747470733a2f2f7777772e676e752e6f72672f6c6963656e7365732f6c67"
    "706c2e7478744c47504c7633564f4c5f4452414654"  // reference hello
    "fc02"                                        // handshake object {"local":"1"}
    "f6030202f602fd02f601f40666696e697368";       // [1,1,[{"remote":"1"},["finish"]]]

// Plays a scripted raw peer through the whole handshake: afterwards the core is running, its
// gateway is our local 2 (peer holds it), the peer's gateway is {"local":"2"} of the peer, and
// the peer's next msg_id is 3 while the core's is 4 (finish call, finish answer, NOTIFY hs).
inline void raw_handshake(CoreEnd& c) {
  c.core->start();
  c.core->receive(hex_bytes(kPeerStartHex));
  c.drain();
  c.core->receive(encode_raw(vej(R"([{"int":"2"},{"int":"4"},[{"int":"1"},{"local":"2"}]])")));
  c.drain();
  c.take_entities();  // also primes c.decoder with the VEC line
  ASSERT_EQ(c.core->status(), LinkStatus::running);
}

// The message code of a decoded message entity.
inline std::int64_t code_of(const Entity& msg) { return msg.as_tuple()[1].as_int64(); }
inline std::int64_t id_of(const Entity& msg) { return msg.as_tuple()[0].as_int64(); }

}  // namespace versile::link::test

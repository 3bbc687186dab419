// A scripted fake stream peer driving a StreamerCore directly: it sends peer_* calls, records
// every sequenced call the streamer issues and (unless told otherwise) answers each one with
// null at once, like the reference peer.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vse/stream/streamer_core.hpp"

namespace vpstream_test {

using versile::Bytes;
using versile::Entity;
using versile::Tuple;
using namespace versile::stream;

inline Entity bytes(std::string_view s) { return Entity(Bytes(s)); }
inline Entity null() { return Entity(); }

struct FakePeer {
  explicit FakePeer(std::unique_ptr<StreamerData> data, StreamerConfig config)
      : core(std::move(data), config) {}

  StreamerCore core;
  std::shared_ptr<versile::Object> peer_object = std::make_shared<versile::Object>();
  bool auto_ack = true;
  std::uint64_t next_token = 1;
  std::vector<StreamerCall> calls;            // every call the streamer issued, in order
  std::deque<std::int64_t> unacked;           // ids not yet answered (auto_ack false)
  std::map<std::uint64_t, CallReply> replies;  // answers to our calls, by token

  // Sends `method(args...)`; returns the token of the call.
  std::uint64_t send(std::string_view method, std::vector<Entity> args) {
    const std::uint64_t token = next_token++;
    core.handle_call(token, method, args);
    pump();
    return token;
  }
  // The connect handshake; returns the result entity.
  Entity connect(std::int64_t call_lim = 15, Entity r_num = 10, Entity r_size = 1000000) {
    auto t = send("peer_connect", {Entity(versile::ObjectRef(peer_object)), Entity(call_lim),
                                   std::move(r_num), std::move(r_size)});
    EXPECT_TRUE(replies.count(t));
    return replies[t].value;
  }
  void ack(std::int64_t msg_id, CallReply outcome = CallReply::result()) {
    core.handle_call_outcome(msg_id, outcome);
    pump();
  }
  void ack_all() {
    while (!unacked.empty()) {
      auto id = unacked.front();
      unacked.pop_front();
      ack(id);
    }
  }
  void pump() {
    std::deque<std::int64_t> to_ack;
    for (;;) {
      auto actions = core.take_actions();
      if (actions.empty() && to_ack.empty()) break;
      for (auto& a : actions) {
        if (auto* c = std::get_if<StreamerCall>(&a)) {
          calls.push_back(*c);
          (auto_ack ? to_ack : unacked).push_back(c->msg_id);
        } else {
          auto& r = std::get<ReplyAction>(a);
          EXPECT_EQ(replies.count(r.token), 0u) << "call answered twice";
          replies[r.token] = r.reply;
        }
      }
      while (!to_ack.empty()) {
        auto id = to_ack.front();
        to_ack.pop_front();
        core.handle_call_outcome(id, CallReply::result());
      }
    }
  }
  bool answered(std::uint64_t token) const { return replies.count(token) > 0; }
  const CallReply& reply(std::uint64_t token) { return replies.at(token); }
  // Calls issued since index `from`.
  std::vector<StreamerCall> since(std::size_t from) const {
    return {calls.begin() + static_cast<std::ptrdiff_t>(from), calls.end()};
  }
};

inline std::string describe(const StreamerCall& c) {
  // Arguments in the entity display form of a tuple: "peer_fail(0, 'Stream not readable')".
  std::string args = versile::to_display_string(Entity(Tuple(c.args)));
  if (args.size() > 3 && args.ends_with(",)")) args.erase(args.size() - 2, 1);
  return c.method + args;
}

inline std::vector<std::string> describe(const std::vector<StreamerCall>& calls) {
  std::vector<std::string> out;
  for (const auto& c : calls) out.push_back(describe(c));
  return out;
}

// Exception entity with one string argument.
inline Entity vexc(std::string_view text) {
  return Entity(versile::Exception{Tuple{Entity(std::string(text))}});
}

}  // namespace vpstream_test

// Test harness for the stream peer: a scripted fake streamer (a PeerTransport that records the
// peer's calls and lets the test answer them) plus helpers to deliver streamer→peer calls.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "entity/entity.hpp"
#include "link/call_types.hpp"
#include "link/link_error.hpp"
#include "vse/stream/peer_session.hpp"
#include "vse/stream/stream.hpp"

namespace versile::stream::testing {

using namespace std::chrono_literals;
inline constexpr std::chrono::nanoseconds kNow{0};

// Compact rendering of call arguments: 5, -3, null, true, b'ab', "s", [a, b], <ref>.
inline void render(std::ostream& os, const Entity& e) {
  if (e.is_none()) {
    os << "null";
  } else if (const bool* b = e.get_if<bool>()) {
    os << (*b ? "true" : "false");
  } else if (const Integer* i = e.get_if<Integer>()) {
    os << i->to_decimal();
  } else if (const Bytes* by = e.get_if<Bytes>()) {
    os << "b'" << by->view() << "'";
  } else if (const String* s = e.get_if<String>()) {
    os << '"' << s->str() << '"';
  } else if (const Tuple* t = e.get_if<Tuple>()) {
    os << '[';
    for (std::size_t k = 0; k < t->size(); ++k) {
      if (k) os << ", ";
      render(os, (*t)[k]);
    }
    os << ']';
  } else if (e.is<ObjectRef>()) {
    os << "<ref>";
  } else {
    os << e;
  }
}

inline std::string render_call(const Tuple& args) {
  std::ostringstream os;
  os << args[0].as_string() << '(';
  for (std::size_t k = 1; k < args.size(); ++k) {
    if (k > 1) os << ", ";
    render(os, args[k]);
  }
  os << ')';
  return os.str();
}

class FakeStreamer : public PeerTransport {
 public:
  struct Call {
    Tuple args;
    std::function<void(link::CallOutcome)> done;
    bool answered = false;
  };

  void send_call(Tuple args, std::function<void(link::CallOutcome)> done) override {
    std::scoped_lock lock(mutex_);
    calls_.push_back(std::make_shared<Call>(Call{std::move(args), std::move(done)}));
  }
  void release() override { released = true; }

  // Calls sent since the last take(), rendered; answered with null unless `answer` is false.
  std::vector<std::string> take(bool answer = true) {
    std::vector<std::shared_ptr<Call>> fresh;
    {
      std::scoped_lock lock(mutex_);
      fresh.assign(calls_.begin() + static_cast<std::ptrdiff_t>(taken_), calls_.end());
      taken_ = calls_.size();
    }
    std::vector<std::string> out;
    for (auto& c : fresh) {
      out.push_back(render_call(c->args));
      if (answer && c->args[0].as_string() != "peer_connect") answer_call(*c, link::CallOutcome::result(Entity()));
    }
    return out;
  }
  // Every call ever sent, rendered.
  std::vector<std::string> all() {
    std::scoped_lock lock(mutex_);
    std::vector<std::string> out;
    for (auto& c : calls_) out.push_back(render_call(c->args));
    return out;
  }
  std::shared_ptr<Call> find(const std::string& method, std::size_t nth = 0) {
    std::scoped_lock lock(mutex_);
    for (auto& c : calls_) {
      if (c->args[0].as_string() == method && nth-- == 0) return c;
    }
    return nullptr;
  }
  static void answer_call(Call& c, link::CallOutcome outcome) {
    if (c.answered) return;
    c.answered = true;
    c.done(std::move(outcome));
  }
  // Answers every unanswered call (except peer_connect) with null.
  void answer_all() {
    std::vector<std::shared_ptr<Call>> open;
    {
      std::scoped_lock lock(mutex_);
      for (auto& c : calls_) {
        if (!c->answered && c->args[0].as_string() != "peer_connect") open.push_back(c);
      }
    }
    for (auto& c : open) answer_call(*c, link::CallOutcome::result(Entity()));
  }

  bool released = false;

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<Call>> calls_;
  std::size_t taken_ = 0;
};

// The reply to one streamer→peer call (filled when the peer answers).
struct Reply {
  std::mutex mutex;
  std::optional<link::CallOutcome> outcome;
  bool has() {
    std::scoped_lock l(mutex);
    return outcome.has_value();
  }
  bool is_null_result() {
    std::scoped_lock l(mutex);
    return outcome && outcome->is_result() && outcome->value().is_none();
  }
  bool is_exception() {
    std::scoped_lock l(mutex);
    return outcome && outcome->is_exception();
  }
  bool is_error() {
    std::scoped_lock l(mutex);
    return outcome && outcome->is_error();
  }
};

struct Harness {
  explicit Harness(ElementKind kind, std::optional<Mode> required_mode = std::nullopt,
                   PeerConfig config = {}, bool use_defaults = true)
      : fake(std::make_shared<FakeStreamer>()) {
    if (use_defaults) {
      const bool ra = config.readahead;
      const bool eos = config.eos_policy;
      config = PeerConfig::defaults_for(kind);
      config.readahead = ra;
      config.eos_policy = eos;
    }
    config.kind = kind;
    config.required_mode = required_mode;
    session = PeerSession::create(config, fake);
    session->set_peer_reference(Entity(std::make_shared<Object>()));
    stream.emplace(session);
    session->connect();
  }

  // Answers peer_connect with [mode, pos, call_lim, w_num, w_size].
  void handshake(Mode mode, std::int64_t pos = 0, std::int64_t call_lim = 15,
                 std::int64_t w_num = 10, std::int64_t w_size = 1000000) {
    handshake_with(Entity(Tuple{Entity(static_cast<std::int64_t>(mode)), Entity(pos),
                                Entity(call_lim), Entity(w_num), Entity(w_size)}));
  }
  void handshake_with(Entity result) {
    auto c = fake->find("peer_connect");
    ASSERT_TRUE(c);
    FakeStreamer::answer_call(*c, link::CallOutcome::result(std::move(result)));
  }

  // Delivers a streamer→peer call with the next streamer msg_id (or an explicit one).
  std::shared_ptr<Reply> deliver(std::string method, std::vector<Entity> args) {
    std::vector<Entity> items;
    items.emplace_back(method);
    for (auto& a : args) items.push_back(std::move(a));
    return deliver_raw(Tuple(std::move(items)));
  }
  std::shared_ptr<Reply> seq(std::string method, std::vector<Entity> args) {
    args.insert(args.begin(), Entity(next_sid++));
    return deliver(std::move(method), std::move(args));
  }
  std::shared_ptr<Reply> deliver_raw(Tuple args) {
    auto reply = std::make_shared<Reply>();
    session->incoming(args, [reply](link::CallOutcome o) {
      std::scoped_lock l(reply->mutex);
      reply->outcome = std::move(o);
    });
    return reply;
  }

  std::shared_ptr<FakeStreamer> fake;
  std::shared_ptr<PeerSession> session;
  std::optional<Stream> stream;
  std::int64_t next_sid = 0;
};

inline Entity B(std::string_view s) { return Entity(Bytes(s)); }
inline std::string str(const Entity& bytes) { return std::string(bytes.as_bytes().view()); }

// Records observer notifications.
struct RecordingObserver : StreamObserver {
  std::mutex mutex;
  std::vector<std::string> events;
  void add(const char* e) {
    std::scoped_lock l(mutex);
    events.emplace_back(e);
  }
  void can_recv() override { add("can_recv"); }
  void can_send() override { add("can_send"); }
  void closed() override { add("closed"); }
  void ctx_error() override { add("ctx_error"); }
  void failed() override { add("failed"); }
  std::vector<std::string> take() {
    std::scoped_lock l(mutex);
    return std::exchange(events, {});
  }
};

}  // namespace versile::stream::testing

// Fuzz target: arbitrary peer bytes into a LinkCore, (1) from the very start of the connection
// and (2) after a valid handshake prefix, each fed whole and in small chunks, and once more the
// way the socket driver reads large payloads (straight into the decoder's payload buffer via
// direct_input/receive_direct whenever the core offers a window). Invariants: no
// crash/UB, the core ends either alive or closed with a typed error, never emits a msg-id gap,
// and every outgoing call completes exactly once when the link closes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <tuple>
#include <vector>

#include "link/link_core.hpp"

namespace {

using namespace versile;
using namespace versile::link;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "link_fuzzer: %s\n", what);
  std::abort();
}

// Queues releases/replies so they reach the core on "the strand" (the fuzzer thread).
class Channel final : public LinkBackChannel {
 public:
  void peer_object_released(std::uint64_t id, std::uint64_t generation) noexcept override {
    releases.emplace_back(id, generation);
  }
  void incoming_call_completed(std::uint64_t id, CallMode mode, CallOutcome o) noexcept override {
    replies.emplace_back(id, mode, std::move(o));
  }
  void drain(LinkCore& core) {
    for (int round = 0; round < 64 && (!releases.empty() || !replies.empty()); ++round) {
      auto rel = std::move(releases);
      auto rep = std::move(replies);
      releases.clear();
      replies.clear();
      for (auto& [id, gen] : rel) core.peer_object_released(id, gen);
      for (auto& [id, mode, o] : rep) core.complete_incoming_call(id, mode, std::move(o));
    }
  }
  std::deque<std::pair<std::uint64_t, std::uint64_t>> releases;
  std::deque<std::tuple<std::uint64_t, CallMode, CallOutcome>> replies;
};

// Answers every call with its arguments, raises for "fail", drops the responder for "drop".
class EchoTarget final : public Object, public CallTarget {
 public:
  void handle_call(CallRequest r) override {
    if (!r.args.empty() && r.args[0] == Entity("fail")) return r.responder.exception(Entity(1));
    if (!r.args.empty() && r.args[0] == Entity("drop")) return;
    r.responder.result(Entity(r.args));
  }
};

class Events final : public LinkCoreEvents {
 public:
  void peer_gateway_received(const std::shared_ptr<PeerObject>& gw) override { gateway = gw; }
  void incoming_call(std::shared_ptr<CallTarget> target, CallRequest request) override {
    target->handle_call(std::move(request));
  }
  void close_transport(bool) override { ++transport_closes; }
  void link_closed(std::error_code) override { ++closes; }
  std::shared_ptr<PeerObject> gateway;
  int transport_closes = 0;
  int closes = 0;
};

constexpr std::uint8_t kPrefix[] = {
    // VEC line
    0x56, 0x45, 0x43, 0x5f, 0x44, 0x52, 0x41, 0x46, 0x54, 0x2d, 0x30, 0x2e, 0x38, 0x2d, 0x75, 0x74,
    0x66, 0x38, 0x0a,
    // hello [bytes VOL_DRAFT, [false, null, null], [0, 8]]
    0xf6, 0x03, 0xf3, 0x09, 0xf6, 0x03, 0xf1, 0xf8, 0xf8, 0xf6, 0x02, 0x01, 0x09, 0x56, 0x4f, 0x4c,
    0x5f, 0x44, 0x52, 0x41, 0x46, 0x54,
    // handshake object {"local":"1"}
    0xfc, 0x02,
    // [1, 1, [{"remote":"1"}, ["finish"]]]
    0xf6, 0x03, 0x02, 0x02, 0xf6, 0x02, 0xfd, 0x02, 0xf6, 0x01, 0xf4, 0x06, 0x66, 0x69, 0x6e, 0x69,
    0x73, 0x68,
    // [2, 4, [1, {"local":"2"}]]  (answers our finish: the peer gateway)
    0xf6, 0x03, 0x03, 0x05, 0xf6, 0x02, 0x02, 0xfc, 0x04};

// How bytes reach the core: always through receive(), or into the decoder's payload window
// whenever it offers one of at least kDirectMin bytes (as SocketDriver does).
enum class Input { copy, direct };
constexpr std::size_t kDirectMin = 16;

void run(std::span<const std::uint8_t> prefix, std::span<const std::uint8_t> data,
         std::size_t chunk, Input input = Input::copy) {
  LinkConfig cfg;
  cfg.gateway = std::make_shared<EchoTarget>();
  cfg.limits.max_entity_bytes = 1u << 20;  // keep fuzzing memory small
  cfg.max_pending_incoming_calls = 64;
  cfg.max_peer_objects = 256;
  cfg.max_local_objects = 256;
  auto channel = std::make_shared<Channel>();
  Events events;
  LinkCore core(cfg, events);
  core.attach(channel);
  core.start();
  int completions = 0;
  int calls = 0;
  auto feed = [&](std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
      auto n = std::min(chunk, bytes.size());
      auto direct = input == Input::direct ? core.direct_input(kDirectMin)
                                           : codec::Decoder::DirectInput{};
      if (!direct.window.empty()) {
        n = std::min(n, direct.window.size());
        std::copy_n(bytes.data(), n, direct.window.data());
        core.receive_direct(direct.window.data(), n);
      } else {
        core.receive(bytes.first(n));
      }
      bytes = bytes.subspan(n);
      channel->drain(core);
      core.consume_output(core.output_size());
      // Keep one call of ours in flight so link loss must complete it.
      if (events.gateway && calls < 4 && core.status() == LinkStatus::running) {
        ++calls;
        if (core.call(events.gateway, Tuple{Entity("x")}, CallMode::normal,
                      [&](CallOutcome) { ++completions; }) == 0 &&
            completions != calls) {
          fail("failed call did not complete synchronously");
        }
      }
    }
  };
  feed(prefix);
  feed(data);
  core.receive_eof();
  channel->drain(core);
  core.consume_output(core.output_size());
  if (core.status() != LinkStatus::closed) fail("link not closed after EOF and drained output");
  if (events.closes != 1 || events.transport_closes != 1) fail("close reported more than once");
  if (completions != calls) fail("pending call not completed on close");
  if (core.stats().pending_outgoing_calls != 0) fail("pending calls left after close");
  events.gateway.reset();
  channel->drain(core);  // releases after close are ignored
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> input(data, size);
  run({}, input, size == 0 ? 1 : size);
  run({}, input, 7);
  run(kPrefix, input, size == 0 ? 1 : size);
  run(kPrefix, input, 3);
  run({}, input, 5, Input::direct);
  run(kPrefix, input, 5, Input::direct);
  return 0;
}

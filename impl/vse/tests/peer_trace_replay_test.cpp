// The stream peer against the reference traces (traces/reference/*.vptrace.jsonl): the client
// script of each trace is replayed through the Stream API while the streamer's recorded calls
// are fed to the peer whenever the script has to wait. The peer's calls (method and arguments)
// must equal the reference client's, in order, and the script must observe the same values.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "entity/vej.hpp"
#include "peer_harness.hpp"

namespace versile::stream::testing {
namespace {

using nlohmann::json;

struct TraceCalls {
  std::vector<Tuple> peer;      // peer → streamer peer_* calls, in order
  std::vector<Tuple> streamer;  // streamer → peer peer_* calls, in order
  Entity connect_result;
};

TraceCalls load(const std::string& scenario) {
  std::ifstream in(std::string(VPSTREAM_REFERENCE_DIR) + "/" + scenario + ".vptrace.jsonl");
  EXPECT_TRUE(in) << scenario;
  TraceCalls out;
  std::optional<std::int64_t> connect_msg;
  std::vector<json> b_units;
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line);
    if (j.value("k", "") != "unit" || j.value("what", "") != "message") continue;
    const Entity msg = from_vej(j["vej"]);
    const Tuple* mp = msg.get_if<Tuple>();
    // VOL messages are [msg_id, code, payload]; skip the hello and the handshake object.
    if (!mp || mp->size() != 3 || !(*mp)[0].is<Integer>() || !(*mp)[1].is<Integer>()) continue;
    const Tuple& m = *mp;
    const std::int64_t code = m[1].as_int64();
    if (code == 1) {
      const Tuple& call = m[2].as_tuple()[1].as_tuple();
      if (!call[0].is<String>() || call[0].as_string().rfind("peer_", 0) != 0) continue;
      if (j["from"] == "a") {
        if (call[0].as_string() == "peer_connect") connect_msg = m[0].as_int64();
        out.peer.push_back(call);
      } else {
        out.streamer.push_back(call);
      }
    } else if (code == 4 && j["from"] == "b") {
      b_units.push_back(j);
    }
  }
  for (const json& j : b_units) {
    const Entity msg = from_vej(j["vej"]);
    const Tuple& payload = msg.as_tuple()[2].as_tuple();
    if (connect_msg && payload[0].as_int64() == *connect_msg) out.connect_result = payload[1];
  }
  return out;
}

class Replay {
 public:
  Replay(const std::string& scenario, ElementKind kind, bool readahead)
      : trace_(load(scenario)),
        h_(kind, trace_.connect_result.as_tuple()[0].as_int64(), config(readahead)) {
    h_.handshake_with(trace_.connect_result);
  }

  // Runs `op` (which must use timeout 0 for waits) until it completes, feeding the next
  // recorded streamer call whenever it would block.
  template <class Op>
  auto run(Op&& op) {
    for (;;) {
      try {
        auto r = op();
        h_.fake->answer_all();
        return r;
      } catch (const StreamTimeout&) {
        h_.fake->answer_all();
        if (next_ >= trace_.streamer.size()) throw std::runtime_error("script blocked at end of trace");
        h_.deliver_raw(trace_.streamer[next_++]);
      }
    }
  }
  Stream& stream() { return *h_.stream; }
  Entity recv(std::size_t n) {
    return run([&] { return stream().recv(n, kNow); });
  }
  std::string read_bytes(std::optional<std::size_t> num, std::size_t bsize = 1048576) {
    std::string out;
    for (;;) {
      if (num && out.size() >= *num) break;
      const Entity d = recv(num ? *num - out.size() : bsize);
      if (d.as_bytes().empty()) break;
      out += d.as_bytes().view();
    }
    return out;
  }
  void finish() {
    h_.fake->answer_all();
    while (next_ < trace_.streamer.size()) {
      h_.deliver_raw(trace_.streamer[next_++]);
      h_.fake->answer_all();
    }
    std::vector<std::string> expected;
    for (const Tuple& t : trace_.peer) expected.push_back(render_call(t));
    EXPECT_EQ(h_.fake->all(), expected);
    EXPECT_TRUE(stream().closed());
    EXPECT_FALSE(stream().failed());
  }

 private:
  static PeerConfig config(bool readahead) {
    PeerConfig c;
    c.readahead = readahead;
    return c;
  }
  TraceCalls trace_;
  Harness h_;
  std::size_t next_ = 0;
};

TEST(PeerTraceReplay, C02_RecipeEntity) {
  Replay r("recipe-entity", ElementKind::entities, true);
  r.stream().set_eos_policy(true);
  EXPECT_TRUE(r.stream().wait_status({.active = true}, kNow));
  std::vector<std::string> items;
  for (;;) {
    const Entity d = r.recv(1);
    if (d.as_tuple().empty()) break;
    items.push_back(d.as_tuple()[0].as_string());
  }
  r.stream().close();  // the iterator's close at the end
  EXPECT_EQ(items, (std::vector<std::string>{"John Doe #1", "John Doe #2", "John Doe #3",
                                             "John Doe #4", "John Doe #5"}));
  r.finish();
}

TEST(PeerTraceReplay, C03_RecipeBytes) {
  Replay r("recipe-bytes", ElementKind::bytes, true);
  EXPECT_TRUE(r.stream().wait_status({.active = true}, kNow));
  r.stream().wseek(0);
  const Entity msg(Bytes(std::string_view("This is an important message")));
  EXPECT_EQ(r.run([&] { return r.stream().send(msg, kNow); }), 28u);
  r.stream().set_eos_policy(true);
  r.stream().enable_readahead();
  r.stream().rseek(0);
  EXPECT_EQ(r.read_bytes(std::nullopt), "This is an important message");
  r.stream().close();
  r.finish();
}

TEST(PeerTraceReplay, C09_FixedBytesRead) {
  Replay r("fixed-bytes-read", ElementKind::bytes, false);
  std::vector<std::size_t> sizes;
  for (;;) {
    const Entity d = r.recv(4096);
    if (d.as_bytes().empty()) break;
    sizes.push_back(d.as_bytes().size());
  }
  EXPECT_EQ(sizes, std::vector<std::size_t>(16, 4096));
  r.stream().close();
  r.finish();
}

TEST(PeerTraceReplay, C20_EntityIterator) {
  Replay r("entity-iterator", ElementKind::entities, true);
  int n = 0;
  while (!r.recv(1).as_tuple().empty()) ++n;
  EXPECT_EQ(n, 4);
  r.stream().close();
  r.finish();
}

TEST(PeerTraceReplay, C15_SeekAndReread) {
  Replay r("seek-and-reread", ElementKind::bytes, false);
  EXPECT_EQ(r.read_bytes(10), "The quick ");
  r.stream().rseek(5);
  EXPECT_EQ(r.read_bytes(10), "uick brown");
  r.stream().rseek(-8, PosRef::end);
  EXPECT_EQ(r.read_bytes(std::nullopt), "lazy dog");
  r.stream().close();
  r.finish();
}

}  // namespace
}  // namespace versile::stream::testing

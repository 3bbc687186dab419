// Replays the peer's calls of each recorded reference trace into a StreamerCore serving the
// same data, and checks that our streamer issues exactly the reference's calls (method,
// msg_id, context, positions, package boundaries, eos flags) and the same connect result.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "entity/vej.hpp"
#include "streamer_harness.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/iterator_data.hpp"

using namespace vpstream_test;
using nlohmann::json;

namespace {

struct TraceCall {
  std::int64_t vol_id;
  std::string method;
  std::vector<Entity> args;
};

struct Trace {
  std::vector<TraceCall> to_streamer;    // peer_* calls of the client (direction a)
  std::vector<TraceCall> from_streamer;  // peer_* calls of the server (direction b)
  std::map<std::int64_t, Entity> results_b;  // CALL_RESULT values sent by the server, by call id
};

Trace load(const std::string& name) {
  std::ifstream in(std::string(VPSTREAM_REFERENCE_DIR) + "/" + name + ".vptrace.jsonl");
  EXPECT_TRUE(in) << name;
  Trace t;
  std::string line;
  while (std::getline(in, line)) {
    const json j = json::parse(line);
    if (j.value("k", "") != "unit" || j.value("what", "") != "message") continue;
    const json& v = j["vej"];
    if (!v.is_array() || v.size() != 3 || !v[1].is_object()) continue;
    const std::string code = v[1].value("int", "");
    const std::int64_t vol_id = std::stoll(v[0]["int"].get<std::string>());
    const bool from_a = j["from"] == "a";
    if (code == "1") {
      const json& call = v[2][1];
      const std::string method = call[0]["str"];
      if (!method.starts_with("peer_")) continue;
      TraceCall c{vol_id, method, {}};
      for (std::size_t i = 1; i < call.size(); ++i) c.args.push_back(versile::from_vej(call[i]));
      (from_a ? t.to_streamer : t.from_streamer).push_back(std::move(c));
    } else if (code == "4" && !from_a) {
      t.results_b[std::stoll(v[2][0]["int"].get<std::string>())] = versile::from_vej(v[2][1]);
    }
  }
  return t;
}

// Replays the trace into `peer` and compares the streamer's calls with the reference's.
void replay_and_compare(const std::string& name, FakePeer& peer) {
  const Trace trace = load(name);
  ASSERT_FALSE(trace.to_streamer.empty());
  ASSERT_EQ(trace.to_streamer[0].method, "peer_connect");
  for (const auto& call : trace.to_streamer) {
    auto args = call.args;
    if (call.method == "peer_connect") {
      args[0] = Entity(versile::ObjectRef(peer.peer_object));
      auto token = peer.send(call.method, args);
      ASSERT_TRUE(trace.results_b.count(call.vol_id));
      EXPECT_EQ(peer.reply(token).value, trace.results_b.at(call.vol_id)) << name;
      continue;
    }
    auto token = peer.send(call.method, args);
    EXPECT_TRUE(peer.answered(token)) << name << " " << call.method;
    EXPECT_EQ(peer.reply(token).value, Entity()) << name << " " << call.method;
  }
  std::vector<std::string> expected;
  for (const auto& c : trace.from_streamer) expected.push_back(describe(StreamerCall{0, c.method, c.args}));
  EXPECT_EQ(describe(peer.calls), expected) << name;
  EXPECT_FALSE(peer.core.failed());
}

}  // namespace

TEST(StreamerTrace, FixedBytesRead) {
  std::vector<std::uint8_t> data(65536);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>((i * 31 + (i >> 8) + 5 * (i >> 16)) % 256);
  }
  StreamerConfig cfg;
  cfg.mode = 0x1045;
  FakePeer peer(std::make_unique<FixedBytesData>(Bytes(std::move(data))), cfg);
  replay_and_compare("fixed-bytes-read", peer);
  // 16 pushes of 4096 bytes, then one empty push with eos.
  ASSERT_EQ(peer.calls.size(), 19u);
  for (int i = 1; i <= 16; ++i) EXPECT_EQ(peer.calls[i].args[2].as_bytes().size(), 4096u);
  EXPECT_EQ(describe(peer.calls[17]), "peer_read_push(17, 0, b'', True)");
}

TEST(StreamerTrace, SeekAndReread) {
  StreamerConfig cfg;
  cfg.mode = 0x1C45;
  FakePeer peer(std::make_unique<FixedBytesData>(
                    Bytes(std::string_view("The quick brown fox jumps over the lazy dog"))),
                cfg);
  replay_and_compare("seek-and-reread", peer);
  EXPECT_EQ(describe(peer.calls[2]), "peer_set_start_pos(2, 2, 5)");
  EXPECT_EQ(describe(peer.calls[4]), "peer_set_start_pos(4, 4, 35)");
}

TEST(StreamerTrace, EntityIterator) {
  std::vector<Entity> items{2.5, false, "Some Text", Tuple{0, 1}};
  std::size_t next = 0;
  StreamerConfig cfg;
  cfg.mode = 0x1045;
  FakePeer peer(std::make_unique<IteratorEntitiesData>([&]() -> std::optional<Entity> {
                  if (next >= items.size()) return std::nullopt;
                  return items[next++];
                }),
                cfg);
  replay_and_compare("entity-iterator", peer);
}

TEST(StreamerTrace, RecipeEntity) {
  std::vector<Entity> names;
  for (int i = 1; i <= 5; ++i) names.emplace_back("John Doe #" + std::to_string(i));
  StreamerConfig cfg;
  cfg.mode = 0x1045;
  FakePeer peer(std::make_unique<FixedEntitiesData>(std::move(names)), cfg);
  replay_and_compare("recipe-entity", peer);
}

TEST(StreamerTrace, RecipeBytes) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("vpstream-trace-recipe-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary).flush();
  {
    StreamerConfig cfg;
    cfg.mode = 0x0FC7;
    cfg.write_buffer = true;
    FakePeer peer(std::make_unique<SimpleFileData>(path, "r+", true, true), cfg);
    replay_and_compare("recipe-bytes", peer);
  }
  std::ifstream in(path, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "This is an important message");
  std::filesystem::remove(path);
}

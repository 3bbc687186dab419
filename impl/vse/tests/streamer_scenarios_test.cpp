// Streamer-side conformance scenarios of stream.md §12.2, driven by a scripted fake peer.
// Each test is named by its scenario number. SPEC behaviour is asserted where it differs from
// the reference (noted per test).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "streamer_harness.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/iterator_data.hpp"

using namespace vpstream_test;
namespace m = versile::stream::mode;

namespace {

constexpr Mode fixed_mode = 0x1045;
const std::string abc25 = "abcdefghijklmnopqrstuvwxy";

std::unique_ptr<FakePeer> fixed_bytes(std::string_view data, Mode extra = 0,
                                      StreamerConfig cfg = {}) {
  cfg.mode = fixed_mode | extra;
  return std::make_unique<FakePeer>(std::make_unique<FixedBytesData>(Bytes(data)), cfg);
}

std::unique_ptr<FakePeer> fixed_entities(std::vector<Entity> items, Mode extra = 0,
                                         StreamerConfig cfg = {}) {
  cfg.mode = fixed_mode | extra;
  return std::make_unique<FakePeer>(std::make_unique<FixedEntitiesData>(std::move(items)), cfg);
}

StreamerConfig mode_config(Mode mode) {
  StreamerConfig cfg;
  cfg.mode = mode;
  return cfg;
}

std::vector<std::string> strs(std::initializer_list<const char*> l) { return {l.begin(), l.end()}; }

// A temporary file removed at the end of the test.
struct TempFile {
  std::filesystem::path path;
  explicit TempFile(std::string_view contents) {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("vpstream-streamer-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++));
    std::ofstream(path, std::ios::binary) << contents;
  }
  ~TempFile() { std::filesystem::remove(path); }
  std::string contents() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

// Fixed bytes whose read fails (stream error, not failure) once when it reaches `fail_at`.
class FlakyBytes final : public StreamerData {
 public:
  FlakyBytes(std::string_view data, std::int64_t fail_at) : inner_(Bytes(data)), fail_at_(fail_at) {}
  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t n) override {
    if (!failed_once_ && inner_.pos() == fail_at_) {
      failed_once_ = true;
      throw StreamError("read error");
    }
    return inner_.read(n);
  }
  std::int64_t seek(std::int64_t p, PosRef r) override { return inner_.seek(p, r); }
  void close() override { inner_.close(); }
  std::int64_t pos() const override { return inner_.pos(); }
  Endpoints endpoints() const override { return inner_.endpoints(); }
  RequiredMode req_mode() const override { return inner_.req_mode(); }
  Mode opt_mode() const override { return inner_.opt_mode(); }

 private:
  FixedBytesData inner_;
  std::int64_t fail_at_;
  bool failed_once_ = false;
};

}  // namespace

TEST(StreamerScenario, C04_ConnectResultDefaults) {
  auto byte = fixed_bytes("x");
  EXPECT_EQ(byte->connect(15, 10, 1000000), Entity(Tuple{4165, 0, 15, 10, 1000000}));
  auto ent = fixed_entities({1});
  EXPECT_EQ(ent->connect(15, 10, 1000), Entity(Tuple{4165, 0, 15, 10, 1000}));
}

TEST(StreamerScenario, C05_LocalCapsLimitPushes) {
  StreamerConfig cfg;
  cfg.r_pkg = 2;
  cfg.r_size = 3;
  cfg.w_pkg = 7;
  cfg.max_calls = 4;
  auto f = fixed_bytes(abc25, 0, cfg);
  f->auto_ack = false;
  EXPECT_EQ(f->connect(5, 3, 4), Entity(Tuple{4165, 0, 11, 7, 1000000}));
  EXPECT_EQ(f->core.negotiated_r_num(), 2);
  EXPECT_EQ(f->core.negotiated_r_size(), 3);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 100});
  // set_start_pos + 2 pushes of 3 elements (r_num 2 outstanding pushes).
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                      "peer_read_push(1, 0, b'abc', False)",
                                      "peer_read_push(2, 0, b'def', False)"}));
  f->ack(1);
  EXPECT_EQ(describe(f->since(3)), strs({"peer_read_push(3, 0, b'ghi', False)"}));
}

TEST(StreamerScenario, C06_ReadLimitsAndShortReadEos) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 3, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 10});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                      "peer_read_push(1, 0, b'abcd', False)",
                                      "peer_read_push(2, 0, b'efgh', False)",
                                      "peer_read_push(3, 0, b'ij', False)"}));
  f->send("peer_read_lim", {2, 25});
  EXPECT_EQ(describe(f->since(4)), strs({"peer_read_push(4, 0, b'klmn', False)",
                                         "peer_read_push(5, 0, b'opqr', False)",
                                         "peer_read_push(6, 0, b'stuv', False)",
                                         "peer_read_push(7, 0, b'wxy', False)"}));
  f->send("peer_read_lim", {3, 26});
  EXPECT_EQ(describe(f->since(8)), strs({"peer_read_push(8, 0, b'', True)"}));
  f->send("peer_read_lim", {4, 40});
  EXPECT_EQ(f->calls.size(), 9u);
  EXPECT_FALSE(f->core.failed());
}

TEST(StreamerScenario, C07_NoEosPolicyTailFollow) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 3, 10);
  f->send("peer_read_start", {0, null(), null(), false});
  f->send("peer_read_lim", {1, 100});
  EXPECT_EQ(describe(f->since(1)), strs({"peer_read_push(1, 0, b'abcdefghij', False)",
                                         "peer_read_push(2, 0, b'klmnopqrst', False)",
                                         "peer_read_push(3, 0, b'uvwxy', False)"}));
  f->send("peer_read_lim", {2, 200});
  EXPECT_EQ(f->calls.size(), 4u);
  EXPECT_FALSE(f->core.failed());
}

TEST(StreamerScenario, C06_LimitBeyondEndInOneGo) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 3, 10);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 100});
  EXPECT_EQ(describe(f->since(1)), strs({"peer_read_push(1, 0, b'abcdefghij', False)",
                                         "peer_read_push(2, 0, b'klmnopqrst', False)",
                                         "peer_read_push(3, 0, b'uvwxy', True)"}));
}

TEST(StreamerScenario, C08_HeldPushResultsBoundOutstanding) {
  auto f = fixed_bytes(abc25);
  f->auto_ack = false;
  f->connect(15, 2, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 100});
  ASSERT_EQ(f->calls.size(), 3u);  // set_start_pos + exactly 2 pushes
  EXPECT_EQ(f->core.read_pending(), 2);
  f->ack(0);  // the position notification frees no push slot
  EXPECT_EQ(f->calls.size(), 3u);
  std::string received;
  bool eos = false;
  for (int guard = 0; guard < 20 && !f->unacked.empty(); ++guard) {
    EXPECT_LE(f->core.read_pending(), 2);
    f->ack_all();
  }
  for (const auto& c : f->calls) {
    if (c.method != "peer_read_push") continue;
    received += std::string(c.args[2].as_bytes().view());
    eos = c.args[3].as_bool();
  }
  EXPECT_EQ(received, abc25);
  EXPECT_TRUE(eos);
  EXPECT_EQ(describe(f->calls.back()), "peer_read_push(7, 0, b'y', True)");
}

TEST(StreamerScenario, C21_IteratorEosAfterExactLimit) {
  int next = 0;
  auto data = std::make_unique<IteratorEntitiesData>([&]() -> std::optional<Entity> {
    if (next >= 4) return std::nullopt;
    return Entity(next++);
  });
  FakePeer f(std::move(data), mode_config(0x1045));
  f.connect(15, 10, 2);
  f.send("peer_read_start", {0, null(), null(), true});
  f.send("peer_read_lim", {1, 4});
  EXPECT_EQ(describe(f.since(1)), strs({"peer_read_push(1, 0, (0, 1), False)",
                                        "peer_read_push(2, 0, (2, 3), False)"}));
  f.send("peer_read_lim", {2, 5});
  EXPECT_EQ(describe(f.since(3)), strs({"peer_read_push(3, 0, (), True)"}));
}

TEST(StreamerScenario, C21_IteratorSevenItems) {
  int next = 0;
  auto data = std::make_unique<IteratorEntitiesData>([&]() -> std::optional<Entity> {
    if (next >= 7) return std::nullopt;
    return Entity(next++);
  });
  FakePeer f(std::move(data), mode_config(0x1045));
  f.connect(15, 10, 2);
  f.send("peer_read_start", {0, null(), null(), true});
  f.send("peer_read_lim", {1, 100});
  EXPECT_EQ(describe(f.since(1)), strs({"peer_read_push(1, 0, (0, 1), False)",
                                        "peer_read_push(2, 0, (2, 3), False)",
                                        "peer_read_push(3, 0, (4, 5), False)",
                                        "peer_read_push(4, 0, (6,), True)"}));
}

TEST(StreamerScenario, C22_EntityFixedPackages) {
  Entity items[] = {1, "two", bytes("3"), Tuple{4, 5}, null(), true, 2.5};
  auto f = fixed_entities(std::vector<Entity>(std::begin(items), std::end(items)));
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 10000});
  ASSERT_EQ(f->calls.size(), 3u);
  EXPECT_EQ(f->calls[1].args[2], Entity(Tuple{1, "two", bytes("3"), Tuple{4, 5}}));
  EXPECT_EQ(f->calls[1].args[3], Entity(false));
  EXPECT_EQ(f->calls[2].args[2], Entity(Tuple{null(), true, 2.5}));
  EXPECT_EQ(f->calls[2].args[3], Entity(true));
}

TEST(StreamerScenario, C24_ConstructionModeChecks) {
  auto make = [](Mode mode, bool wbuf = false) {
    StreamerConfig cfg;
    cfg.mode = mode;
    cfg.write_buffer = wbuf;
    StreamerCore core(std::make_unique<FixedBytesData>(Bytes(std::string_view("x"))), cfg);
    return core.mode();
  };
  EXPECT_EQ(make(0x1045), 0x1045u);
  EXPECT_EQ(make(0x1445), 0x1445u);
  EXPECT_EQ(make(0x1C45), 0x1C45u);
  auto message = [&](Mode mode) -> std::string {
    try {
      make(mode);
    } catch (const StreamError& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(message(0x1041), "Mismatch with required streamer data mode.");
  EXPECT_EQ(message(0x1047), "Mismatch with required streamer data mode.");
  EXPECT_EQ(message(0x3045), "Mismatch with required streamer data mode.");
  EXPECT_EQ(message(0x11045), "All mode bits not supported by streamer data.");
  auto code = [&](Mode mode) -> std::error_code {
    try {
      make(mode);
    } catch (const StreamError& e) {
      return e.code();
    }
    return {};
  };
  EXPECT_EQ(code(0x1041), StreamErrc::data_mode_mismatch);
  EXPECT_EQ(code(0x11045), StreamErrc::data_mode_unsupported);
  // A writable streamer needs a write buffer.
  TempFile file("0123456789");
  StreamerConfig cfg;
  cfg.mode = m::readable | m::writable | m::start_bounded | m::end_bounded;
  EXPECT_THROW(StreamerCore(std::make_unique<SimpleFileData>(file.path, "r+"), cfg),
               StreamError);
  cfg.write_buffer = true;
  EXPECT_NO_THROW(StreamerCore(std::make_unique<SimpleFileData>(file.path, "r+"), cfg));
}

TEST(StreamerScenario, C25_NonSeekableRejectsPositionedStart) {
  auto f = fixed_bytes(abc25);
  f->connect();
  auto t = f->send("peer_read_start", {0, 0, 1, true});
  EXPECT_EQ(describe(f->calls), strs({"peer_fail(0, 'Stream does not support seek')"}));
  EXPECT_EQ(f->reply(t).value, null());
  EXPECT_TRUE(f->core.failed());
}

TEST(StreamerScenario, C26_ForwardSeekNotAllowed) {
  auto f = fixed_bytes(abc25, m::seek_rew);
  f->connect();
  f->send("peer_read_start", {0, 5, 1, true});
  EXPECT_EQ(describe(f->calls), strs({"peer_fail(0, 'Forward seek not allowed')"}));
}

TEST(StreamerScenario, C27_SeekFromEndForwardOnly) {
  auto f = fixed_bytes(abc25, m::seek_fwd);
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, -5, 3, true});
  f->send("peer_read_lim", {1, 100});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 20)",
                                      "peer_read_push(1, 0, b'uvwx', False)",
                                      "peer_read_push(2, 0, b'y', True)"}));
}

TEST(StreamerScenario, C28_ReadOnlyRejectsWriteStart) {
  auto f = fixed_bytes(abc25);
  f->connect();
  f->send("peer_write_start", {0, null(), null()});
  EXPECT_EQ(describe(f->calls), strs({"peer_fail(0, 'Stream not writable')"}));
}

TEST(StreamerScenario, C29_IllegalTruncate) {
  auto f = fixed_bytes(abc25);
  f->connect();
  f->send("peer_trunc_before", {0});
  EXPECT_EQ(describe(f->calls), strs({"peer_fail(0, 'Illecal truncate operation')"}));

  // trunc_after without END_CAN_DEC: a writable file streamer lacking that bit.
  TempFile file("0123456789");
  StreamerConfig cfg;
  cfg.mode = m::readable | m::writable | m::start_bounded | m::end_bounded | m::end_can_inc |
             m::can_move_end;
  cfg.write_buffer = true;
  FakePeer g(std::make_unique<SimpleFileData>(file.path, "r+"), cfg);
  g.connect();
  g.send("peer_trunc_after", {0});
  EXPECT_EQ(describe(g.calls), strs({"peer_fail(0, 'Illecal truncate operation')"}));
}

TEST(StreamerScenario, C30_TruncateRequiresWriteContext) {
  TempFile file("0123456789");
  StreamerConfig cfg;
  cfg.mode = m::readable | m::writable | m::start_bounded | m::end_bounded | m::end_can_dec |
             m::end_can_inc | m::can_move_end;
  cfg.write_buffer = true;
  FakePeer f(std::make_unique<SimpleFileData>(file.path, "r+"), cfg);
  f.connect();
  f.send("peer_read_start", {0, null(), null(), true});
  f.send("peer_trunc_after", {1});
  EXPECT_EQ(describe(f.calls), strs({"peer_set_start_pos(0, 0, 0)",
                                     "peer_fail(1, 'Truncate requires write context')"}));
  EXPECT_EQ(file.contents(), "0123456789");
}

TEST(StreamerScenario, C34_IteratorRejectsPositionedStart) {
  auto data = std::make_unique<IteratorEntitiesData>([]() -> std::optional<Entity> {
    return std::nullopt;
  });
  FakePeer f(std::move(data), mode_config(0x1045));
  f.connect();
  f.send("peer_read_start", {0, 0, 1, true});
  EXPECT_EQ(describe(f.calls), strs({"peer_fail(0, 'Stream does not support seek')"}));
}

TEST(StreamerScenario, C35_OutOfRangeStartIsNotAFailure) {
  auto f = fixed_bytes(abc25, m::seek_rew | m::seek_fwd);
  f->connect();
  auto t = f->send("peer_read_start", {0, 100, 1, true});
  ASSERT_TRUE(f->answered(t));
  EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
  EXPECT_EQ(f->reply(t).value, vexc("Could not initiate reading"));
  EXPECT_TRUE(f->calls.empty());
  EXPECT_FALSE(f->core.failed());
  EXPECT_EQ(f->core.context_mode(), StreamerCore::ContextMode::none);
  // A read limit for the failed start is ignored (no context).
  f->send("peer_read_lim", {1, 10});
  EXPECT_TRUE(f->calls.empty());
  f->send("peer_read_start", {2, 3, 1, true});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 2, 3)"}));
}

TEST(StreamerScenario, C36_FileStartOutOfRangeAndFromEnd) {
  TempFile file("0123456789");
  StreamerConfig cfg;
  cfg.mode = m::readable | m::start_bounded | m::end_bounded | m::seek_rew | m::seek_fwd;
  FakePeer f(std::make_unique<SimpleFileData>(file.path, "r", true, true), cfg);
  f.connect();
  auto a = f.send("peer_read_start", {0, 11, 1, true});
  EXPECT_EQ(f.reply(a).value, vexc("Could not initiate reading"));
  auto b = f.send("peer_read_start", {1, 1, 3, true});
  EXPECT_EQ(f.reply(b).value, vexc("Could not initiate reading"));
  EXPECT_TRUE(f.calls.empty());
  f.send("peer_read_start", {2, -3, 3, true});
  f.send("peer_read_lim", {3, 100});
  EXPECT_EQ(describe(f.calls), strs({"peer_set_start_pos(0, 2, 7)",
                                     "peer_read_push(1, 2, b'789', True)"}));
  EXPECT_FALSE(f.core.failed());
}

TEST(StreamerScenario, C37_ReadErrorIsContextError) {
  StreamerConfig cfg;
  cfg.mode = fixed_mode | m::seek_rew;
  FakePeer f(std::make_unique<FlakyBytes>("0123456789", 4), cfg);
  f.connect(15, 10, 4);
  f.send("peer_read_start", {0, null(), null(), true});
  f.send("peer_read_lim", {1, 10});
  EXPECT_EQ(describe(f.calls), strs({"peer_set_start_pos(0, 0, 0)",
                                     "peer_read_push(1, 0, b'0123', False)",
                                     "peer_error(2, 0, 1)"}));
  f.send("peer_read_lim", {2, 20});  // ignored while in error
  EXPECT_EQ(f.calls.size(), 3u);
  f.send("peer_read_start", {3, 0, 1, true});
  f.send("peer_read_lim", {4, 100});
  EXPECT_EQ(describe(f.since(3)), strs({"peer_set_start_pos(3, 3, 0)",
                                        "peer_read_push(4, 3, b'0123', False)",
                                        "peer_read_push(5, 3, b'4567', False)",
                                        "peer_read_push(6, 3, b'89', True)"}));
  f.send("peer_close", {5});
  EXPECT_EQ(describe(f.calls.back()), "peer_closed(7)");
  EXPECT_TRUE(f.core.done());
}

TEST(StreamerScenario, C41_CloseDespiteContextError) {
  // REF (D6) ignores the close; SPEC closes and acknowledges.
  StreamerConfig cfg;
  cfg.mode = fixed_mode;
  FakePeer f(std::make_unique<FlakyBytes>("0123456789", 0), cfg);
  f.connect();
  f.send("peer_read_start", {0, null(), null(), true});
  f.send("peer_read_lim", {1, 10});
  EXPECT_EQ(describe(f.calls), strs({"peer_set_start_pos(0, 0, 0)", "peer_error(1, 0, 1)"}));
  f.send("peer_close", {2});
  EXPECT_EQ(describe(f.calls.back()), "peer_closed(2)");
  EXPECT_TRUE(f.core.done());
  EXPECT_FALSE(f.core.failed());
}

namespace {
// A writable file streamer with the recipe's mode (0x0FC7) on `file`.
std::unique_ptr<FakePeer> file_streamer(const TempFile& file, StreamerConfig cfg = {}) {
  cfg.mode = 0x0FC7;
  cfg.write_buffer = true;
  return std::make_unique<FakePeer>(std::make_unique<SimpleFileData>(file.path, "r+", true, true),
                                    cfg);
}
}  // namespace

TEST(StreamerScenario, C52_WritePushViolations) {
  TempFile file("");
  auto start = [&](StreamerConfig cfg = {}) {
    auto f = file_streamer(file, cfg);
    f->connect(15, 10, 1000000);
    f->send("peer_write_start", {0, 0, 1});
    return f;
  };
  {
    StreamerConfig cfg;
    cfg.w_lim = 4;
    cfg.w_step = 4;
    auto f = start(cfg);
    EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                        "peer_write_lim(1, 0, 4)"}));
    f->send("peer_write_push", {1, 0, bytes("hello")});
    EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Write limit exceeded')");
  }
  {
    StreamerConfig cfg;
    cfg.w_size = 4;
    auto f = start(cfg);
    f->send("peer_write_push", {1, 0, bytes("hello")});
    EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Write package too big')");
  }
  {
    auto f = start();
    f->send("peer_write_push", {1, 0, bytes("")});
    EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Write push without data')");
  }
  {
    auto f = start();
    auto t = f->send("peer_write_push", {1, 0, "text"});
    EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
    EXPECT_EQ(f->reply(t).value, vexc("Invalid wpush data"));
    EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Invalid peer_write_push arguments')");
  }
  {
    auto f = start();
    f->send("peer_read_start", {1, 0, 1, true});  // read context #1
    f->send("peer_write_push", {2, 1, bytes("ab")});
    EXPECT_EQ(describe(f->calls.back()), "peer_fail(3, 'Write push without write mode')");
  }
  {
    auto f = start();
    f->send("peer_write_start", {1, 2, 1});  // new write context #1 at 2 (file is empty → error)
    f->send("peer_write_start", {2, 0, 1});
    const auto before = f->calls.size();
    f->send("peer_write_push", {3, 0, bytes("ab")});  // stale ctx 0: dropped
    EXPECT_EQ(f->calls.size(), before);
    EXPECT_FALSE(f->core.failed());
    EXPECT_EQ(f->core.write_pending(), 0);
  }
}

TEST(StreamerScenario, C53_TooManyPendingWritePushes) {
  TempFile file("");
  StreamerConfig cfg;
  cfg.w_pkg = 2;
  auto f = file_streamer(file, cfg);
  f->connect();
  f->send("peer_write_start", {0, 0, 1});
  auto t3 = f->send("peer_write_push", {3, 0, bytes("a")});
  auto t4 = f->send("peer_write_push", {4, 0, bytes("b")});
  EXPECT_FALSE(f->answered(t3));
  EXPECT_FALSE(f->answered(t4));
  auto t5 = f->send("peer_write_push", {5, 0, bytes("c")});
  EXPECT_TRUE(f->answered(t5));
  EXPECT_EQ(f->reply(t5).value, null());
  EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Too many pending write push')");
  // SPEC: the parked pushes are answered with null on cleanup (REF never answers them).
  EXPECT_TRUE(f->answered(t3));
  EXPECT_TRUE(f->answered(t4));
  EXPECT_EQ(file.contents(), "");
}

TEST(StreamerScenario, C54_IllegalReadLimits) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 4});
  f->send("peer_read_lim", {2, 4});
  EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Illegal read limit')");

  auto g = fixed_bytes(abc25);
  g->connect();
  g->send("peer_read_start", {0, null(), null(), true});
  auto t = g->send("peer_read_lim", {1, 0});
  EXPECT_EQ(g->reply(t).kind, CallReply::Kind::exception);
  EXPECT_EQ(describe(g->calls.back()), "peer_fail(1, 'Invalid peer_read_lim arguments')");
}

TEST(StreamerScenario, C55_RepeatedContinueStartsFail) {
  TempFile file("");
  auto f = file_streamer(file);
  f->connect();
  f->send("peer_write_start", {0, null(), null()});
  f->send("peer_write_start", {1, null(), null()});
  EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Invalid write start position')");

  auto g = fixed_bytes(abc25);
  g->connect();
  g->send("peer_read_start", {0, null(), null(), true});
  g->send("peer_read_start", {1, null(), null(), true});
  EXPECT_EQ(describe(g->calls.back()), "peer_fail(1, 'Invalid read context position')");
}

TEST(StreamerScenario, C56_SecondConnectRefused) {
  auto f = fixed_bytes(abc25);
  f->connect();
  auto t = f->send("peer_connect", {Entity(versile::ObjectRef(f->peer_object)), 15, 10, 10});
  EXPECT_EQ(f->reply(t).value, vexc("Can only connect once"));
  EXPECT_FALSE(f->core.failed());
  f->send("peer_read_start", {0, null(), null(), true});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)"}));
}

TEST(StreamerScenario, C57_BadConnectArgumentsFail) {
  for (auto args : std::vector<std::vector<Entity>>{
           {Entity(), 0, 3, 4}, {Entity(), 15, "3", 4}, {5, 15, 3, 4}, {Entity(), 15, 3, true}}) {
    auto f = fixed_bytes(abc25);
    if (args[0].is_none()) args[0] = Entity(versile::ObjectRef(f->peer_object));
    auto t = f->send("peer_connect", args);
    EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
    EXPECT_TRUE(f->core.failed());
    EXPECT_TRUE(f->calls.empty());  // no peer, nothing sent
    // SPEC (D22): a later valid connect is refused, no zombie streamer.
    auto again = f->send("peer_connect", {Entity(versile::ObjectRef(f->peer_object)), 15, 10, 10});
    EXPECT_EQ(f->reply(again).kind, CallReply::Kind::exception);
    EXPECT_FALSE(f->core.connected());
  }
}

TEST(StreamerScenario, C58_ReadStartArgumentErrors) {
  struct Case {
    std::vector<Entity> args;
    Entity expected_exception;
    std::string expected_fail;
  };
  const Entity empty_exc = Entity(versile::Exception{});
  std::vector<Case> cases = {
      {{0, 3, null(), true}, empty_exc, "peer_fail(0, 'Invalid peer_read_start arguments')"},
      {{0, null(), 1, true}, vexc("If pos is None, pos_ref must be None"),
       "peer_fail(0, 'Invalid peer_read_start arguments')"},
      {{0, null(), null(), 1}, empty_exc, "peer_fail(0, 'Invalid peer_read_start arguments')"},
      {{0, 2.0, 1, true}, empty_exc, "peer_fail(0, 'Invalid peer_read_start arguments')"},
  };
  for (const auto& c : cases) {
    auto f = fixed_bytes(abc25, m::seek_rew | m::seek_fwd);
    f->connect();
    auto t = f->send("peer_read_start", c.args);
    EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
    EXPECT_EQ(f->reply(t).value, c.expected_exception);
    EXPECT_EQ(describe(f->calls), strs({c.expected_fail.c_str()}));
  }
  auto f = fixed_bytes(abc25, m::seek_rew | m::seek_fwd);
  f->connect();
  auto t = f->send("peer_read_start", {0, 3, 4, true});  // CURRENT never crosses the wire
  EXPECT_EQ(f->reply(t).value, null());
  EXPECT_EQ(describe(f->calls), strs({"peer_fail(0, 'Invalid position reference')"}));
}

TEST(StreamerScenario, C59_NegativeMsgIds) {
  const std::vector<std::pair<std::string, std::vector<Entity>>> calls = {
      {"peer_read_lim", {-1, 5}},         {"peer_read_start", {-1, null(), null(), true}},
      {"peer_close", {-1}},               {"peer_fail", {-1, null()}},
      {"peer_trunc_before", {-1}},        {"peer_trunc_after", {-1}},
      {"peer_write_start", {-1, null(), null()}}};
  for (const auto& [method, args] : calls) {
    auto f = fixed_bytes(abc25);
    f->connect();
    auto t = f->send(method, args);
    EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception) << method;
    ASSERT_EQ(f->calls.size(), 1u) << method;
    EXPECT_EQ(describe(f->calls[0]), "peer_fail(0, 'Invalid " + method + " arguments')");
  }
}

TEST(StreamerScenario, C60_DuplicateIdIsCallError) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  auto t = f->send("peer_read_start", {0, null(), null(), true});
  EXPECT_EQ(f->reply(t).kind, CallReply::Kind::error);
  EXPECT_EQ(f->reply(t).error, StreamErrc::sequence_duplicate);
  EXPECT_FALSE(f->core.failed());
  f->send("peer_read_lim", {1, 4});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                      "peer_read_push(1, 0, b'abcd', False)"}));
}

TEST(StreamerScenario, C61_OutOfOrderResultDeferred) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 10, 4);
  auto lim = f->send("peer_read_lim", {1, 4});
  EXPECT_FALSE(f->answered(lim));  // parked behind #0
  EXPECT_TRUE(f->calls.empty());
  auto start = f->send("peer_read_start", {0, null(), null(), true});
  EXPECT_TRUE(f->answered(start));
  EXPECT_TRUE(f->answered(lim));
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                      "peer_read_push(1, 0, b'abcd', False)"}));
}

TEST(StreamerScenario, C62_SequencingWindow) {
  auto f = fixed_bytes(abc25);
  f->connect();
  EXPECT_EQ(f->core.call_lim(), 15);
  auto t15 = f->send("peer_read_lim", {15, 5});
  EXPECT_EQ(f->reply(t15).error, StreamErrc::sequence_out_of_window);
  auto t5 = f->send("peer_read_lim", {5, 5});
  EXPECT_FALSE(f->answered(t5));
  // SPEC lenient bound: 14 is accepted although #5 is queued (REF rejects it, D17).
  auto t14 = f->send("peer_read_lim", {14, 6});
  EXPECT_FALSE(f->answered(t14));
  auto t13 = f->send("peer_read_lim", {13, 7});
  EXPECT_FALSE(f->answered(t13));
  EXPECT_FALSE(f->core.failed());
  auto huge = f->send("peer_read_lim", {Entity(versile::Integer(
                                             versile::Integer::Big("1000000000000000000000000000000"))),
                                         5});
  EXPECT_EQ(f->reply(huge).error, StreamErrc::sequence_out_of_window);
}

TEST(StreamerScenario, C63_ReadLimitWithoutContextIgnored) {
  auto f = fixed_bytes(abc25);
  f->connect();
  f->send("peer_read_lim", {0, 10});
  EXPECT_TRUE(f->calls.empty());  // REF pushes with read_ctx null (D15)
  EXPECT_FALSE(f->core.failed());
}

TEST(StreamerScenario, C64_CallsAfterCloseOrFailureIgnored) {
  auto f = fixed_bytes(abc25);
  f->connect();
  f->send("peer_close", {0});
  EXPECT_EQ(describe(f->calls), strs({"peer_closed(0)"}));
  auto a = f->send("peer_read_start", {1, null(), null(), true});
  auto b = f->send("peer_read_lim", {2, 5});
  EXPECT_EQ(f->reply(a).value, null());
  EXPECT_EQ(f->reply(b).value, null());
  EXPECT_EQ(f->calls.size(), 1u);
  auto c = f->send("peer_connect", {Entity(versile::ObjectRef(f->peer_object)), 15, 10, 10});
  EXPECT_EQ(f->reply(c).value, vexc("Can only connect once"));

  auto g = fixed_bytes(abc25);
  g->connect();
  g->send("peer_fail", {0, "bye"});
  EXPECT_TRUE(g->core.failed());
  EXPECT_TRUE(g->calls.empty());  // nothing is sent back on a remote failure
  auto d = g->send("peer_read_start", {1, null(), null(), true});
  EXPECT_EQ(g->reply(d).value, null());
  EXPECT_TRUE(g->calls.empty());
}

TEST(StreamerScenario, C65_SequencedCallBeforeConnect) {
  auto f = fixed_bytes(abc25);
  auto t = f->send("peer_read_start", {0, null(), null(), true});
  EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
  EXPECT_FALSE(f->core.failed());
  f->connect();
  f->send("peer_read_start", {0, null(), null(), true});  // id 0 was not consumed
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)"}));
}

TEST(StreamerScenario, C66_WrongArityOrUnknownMethod) {
  auto f = fixed_bytes(abc25);
  f->connect();
  auto a = f->send("peer_read_lim", {0});
  auto b = f->send("peer_read_lim", {0, 5, 6});
  auto c = f->send("peer_nosuch", {0});
  auto d = f->send("peer_connect", {});
  for (auto t : {a, b, c, d}) EXPECT_EQ(f->reply(t).kind, CallReply::Kind::error);
  EXPECT_FALSE(f->core.failed());
  EXPECT_TRUE(f->core.connected());
  f->send("peer_read_start", {0, null(), null(), true});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)"}));
}

TEST(StreamerScenario, C67_HugeIntegersClamped) {
  const Entity huge(versile::Integer(versile::Integer::Big("1000000000000000000000000000000")));
  auto f = fixed_bytes(abc25);
  EXPECT_EQ(f->connect(15, huge, huge), Entity(Tuple{4165, 0, 15, 10, 1000000}));
  EXPECT_EQ(f->core.negotiated_r_num(), 10);
  EXPECT_EQ(f->core.negotiated_r_size(), 1000000);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, huge});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                      "peer_read_push(1, 0, b'abcdefghijklmnopqrstuvwxy', True)"}));
  // A huge call_lim is clamped too and data still flows.
  auto g = fixed_bytes("xyz");
  g->send("peer_connect", {Entity(versile::ObjectRef(g->peer_object)), huge, 3, 4});
  g->send("peer_read_start", {0, null(), null(), true});
  g->send("peer_read_lim", {1, 10});
  EXPECT_EQ(describe(g->calls.back()), "peer_read_push(1, 0, b'xyz', True)");
}

TEST(StreamerScenario, C77_NegativeReadLimitIsArgErr) {
  auto f = fixed_bytes(abc25);
  f->connect();
  f->send("peer_read_start", {0, null(), null(), true});
  auto t = f->send("peer_read_lim", {1, -1});
  EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
  EXPECT_EQ(describe(f->calls.back()), "peer_fail(1, 'Invalid peer_read_lim arguments')");
}

TEST(StreamerScenario, C78_LockFlagsOnReadOnlyFile) {
  TempFile file("file contents");
  StreamerConfig cfg;
  cfg.mode = m::readable | m::start_bounded | m::end_bounded | m::data_lock | m::start_lock |
             m::end_lock;
  FakePeer f(std::make_unique<SimpleFileData>(file.path, "r"), cfg);
  EXPECT_EQ(f.core.mode(), 57413u);
  EXPECT_EQ(f.connect(), Entity(Tuple{57413, 0, 15, 10, 1000000}));
  f.send("peer_read_start", {0, null(), null(), true});
  f.send("peer_read_lim", {1, 1000});
  EXPECT_EQ(describe(f.calls.back()), "peer_read_push(1, 0, b'file contents', True)");
}

TEST(StreamerScenario, C79_ReadOnlyFileRequiredClearBits) {
  TempFile file("x");
  const Mode base = m::readable | m::start_bounded | m::end_bounded;
  for (Mode extra : {m::start_can_inc, m::can_move_start | m::start_can_inc, m::writable,
                     m::end_can_inc}) {
    StreamerConfig cfg;
    cfg.mode = base | extra;
    cfg.write_buffer = true;
    try {
      StreamerCore core(std::make_unique<SimpleFileData>(file.path, "r"), cfg);
      ADD_FAILURE() << "mode accepted: " << (base | extra);
    } catch (const StreamError& e) {
      EXPECT_STREQ(e.what(), "Mismatch with required streamer data mode.");
      EXPECT_EQ(e.code(), StreamErrc::data_mode_mismatch);
    }
  }
}

TEST(StreamerScenario, C11_WriteLimitSteps) {
  TempFile file("");
  StreamerConfig cfg;
  cfg.w_lim = 20;
  auto f = file_streamer(file, cfg);
  f->connect();
  f->send("peer_write_start", {0, 0, 1});
  EXPECT_EQ(describe(f->calls), strs({"peer_set_start_pos(0, 0, 0)",
                                      "peer_write_lim(1, 0, 20)"}));
  f->send("peer_write_push", {1, 0, bytes("0123")});
  f->send("peer_write_push", {2, 0, bytes("4567")});
  EXPECT_EQ(f->calls.size(), 2u);
  f->send("peer_write_push", {3, 0, bytes("89")});
  EXPECT_EQ(describe(f->calls.back()), "peer_write_lim(2, 0, 30)");
  f->send("peer_write_push", {4, 0, bytes("ab")});
  EXPECT_EQ(f->calls.size(), 3u);
  EXPECT_EQ(file.contents(), "0123456789ab");
}

TEST(StreamerScenario, C11_WriteLimitStepThreeFromPositionTwo) {
  TempFile file("0123456789abcdef");
  StreamerConfig cfg;
  cfg.w_lim = 6;
  cfg.w_step = 3;
  auto f = file_streamer(file, cfg);
  f->connect();
  f->send("peer_write_start", {0, 2, 1});
  EXPECT_EQ(describe(f->since(1)), strs({"peer_write_lim(1, 0, 6)"}));
  f->send("peer_write_push", {1, 0, bytes("abcd")});  // rpos 4 → 10 - 1 = 9
  EXPECT_EQ(describe(f->calls.back()), "peer_write_lim(2, 0, 9)");
  f->send("peer_write_push", {2, 0, bytes("efgh")});  // rpos 8 → 12
  EXPECT_EQ(describe(f->calls.back()), "peer_write_lim(3, 0, 12)");
  f->send("peer_write_push", {3, 0, bytes("ijk")});  // rpos 11 → 15
  EXPECT_EQ(describe(f->calls.back()), "peer_write_lim(4, 0, 15)");
  EXPECT_EQ(file.contents(), "01abcdefghijkdef");
}

TEST(StreamerScenario, C12_NonGrowableFileCapsWriteLimit) {
  TempFile file("0123456789");
  StreamerConfig cfg;
  cfg.mode = m::readable | m::writable | m::start_bounded | m::end_bounded | m::seek_fwd |
             m::seek_rew;
  cfg.write_buffer = true;
  FakePeer f(std::make_unique<SimpleFileData>(file.path, "r+", true, true), cfg);
  f.connect();
  f.send("peer_write_start", {0, 7, 1});
  EXPECT_EQ(describe(f.calls), strs({"peer_set_start_pos(0, 0, 7)", "peer_write_lim(1, 0, 3)"}));
  f.send("peer_write_push", {1, 0, bytes("XYZ")});
  EXPECT_EQ(file.contents(), "0123456XYZ");
  EXPECT_EQ(f.calls.size(), 2u);  // no further room
}

TEST(StreamerScenario, C19_TruncAfterRelabelsContext) {
  TempFile file("0123456789");
  auto f = file_streamer(file);
  f->connect();
  f->send("peer_write_start", {0, 4, 1});
  f->send("peer_write_push", {1, 0, bytes("ab")});
  f->send("peer_trunc_after", {2});
  EXPECT_EQ(describe(f->since(2)), strs({"peer_write_lim(2, 2, 10000000)"}));
  EXPECT_EQ(f->core.context_id(), 2);
  f->send("peer_write_push", {3, 0, bytes("zz")});  // old ctx: dropped
  f->send("peer_write_push", {4, 2, bytes("cd")});
  EXPECT_EQ(file.contents(), "0123abcd");
  EXPECT_FALSE(f->core.failed());
}

TEST(StreamerScenario, C03_RecipeBytesOnFile) {
  TempFile file("");
  auto f = file_streamer(file);
  EXPECT_EQ(f->connect(15, 10, 1000000), Entity(Tuple{4039, 0, 15, 10, 1000000}));
  f->send("peer_write_start", {0, 0, 1});
  f->send("peer_write_push", {1, 0, bytes("This is an important message")});
  f->send("peer_read_start", {2, 0, 1, true});
  f->send("peer_read_lim", {3, 10000000});
  f->send("peer_close", {4});
  EXPECT_EQ(describe(f->calls),
            strs({"peer_set_start_pos(0, 0, 0)", "peer_write_lim(1, 0, 10000000)",
                  "peer_set_start_pos(2, 2, 0)",
                  "peer_read_push(3, 2, b'This is an important message', True)",
                  "peer_closed(4)"}));
}

TEST(StreamerScenario, C17_ContinueAfterReadIncludesReadAhead) {
  TempFile file("0123456789");
  auto f = file_streamer(file);
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 8});  // read-ahead pushed 8 bytes
  f->send("peer_write_start", {2, null(), null()});
  EXPECT_EQ(describe(f->since(3)), strs({"peer_set_start_pos(3, 2, 8)",
                                         "peer_write_lim(4, 2, 10000000)"}));
  f->send("peer_write_push", {3, 2, bytes("XY")});
  EXPECT_EQ(file.contents(), "01234567XY");
}

TEST(StreamerScenario, StaleReadPushResultsStillFreeSlots) {
  auto f = fixed_bytes(abc25, m::seek_rew | m::seek_fwd);
  f->auto_ack = false;
  f->connect(15, 2, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 100});
  ASSERT_EQ(f->core.read_pending(), 2);
  f->send("peer_read_start", {2, 20, 1, true});
  f->send("peer_read_lim", {3, 100});
  EXPECT_EQ(f->calls.size(), 4u);  // no slot free yet: nothing pushed for the new context
  f->ack_all();
  EXPECT_EQ(describe(f->since(4)), strs({"peer_read_push(4, 2, b'uvwx', False)",
                                         "peer_read_push(5, 2, b'y', True)"}));
}

TEST(StreamerScenario, ErrorResultOfOwnCallFailsStream) {
  auto f = fixed_bytes(abc25);
  f->auto_ack = false;
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 4});
  f->ack(1, CallReply::error_code(std::make_error_code(std::errc::io_error)));
  EXPECT_TRUE(f->core.failed());
  EXPECT_EQ(describe(f->calls.back()), "peer_fail(2, 'Remote call failed')");
}

TEST(StreamerScenario, LinkLossFailsSilently) {
  auto f = fixed_bytes(abc25);
  f->connect(15, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  const auto before = f->calls.size();
  f->core.handle_link_lost();
  f->pump();
  EXPECT_TRUE(f->core.failed());
  EXPECT_EQ(f->core.failure_reason(), StreamErrc::link_lost);
  EXPECT_EQ(f->calls.size(), before);
}

TEST(StreamerScenario, HeldCallsDispatchedWhenPeerWindowSmall) {
  // The peer's call_lim of 2 holds calls back; they go out in id order as results return
  // (REF loses them, D2).
  auto f = fixed_bytes(abc25);
  f->auto_ack = false;
  f->connect(2, 10, 4);
  f->send("peer_read_start", {0, null(), null(), true});
  f->send("peer_read_lim", {1, 100});
  EXPECT_EQ(f->calls.size(), 2u);
  for (int guard = 0; guard < 20 && !f->unacked.empty(); ++guard) f->ack_all();
  ASSERT_EQ(f->calls.size(), 8u);
  for (std::size_t i = 0; i < f->calls.size(); ++i) {
    EXPECT_EQ(f->calls[i].msg_id, static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(describe(f->calls.back()), "peer_read_push(7, 0, b'y', True)");
}

namespace {
// Bytes that grow from outside the streamer (a producer appends) and notify the streamer.
class GrowingBytes final : public StreamerData {
 public:
  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t n) override {
    const auto k = std::min<std::int64_t>(n, static_cast<std::int64_t>(data_.size()) - pos_);
    Entity out(Bytes(std::string_view(data_).substr(static_cast<std::size_t>(pos_),
                                                    static_cast<std::size_t>(k))));
    pos_ += k;
    return out;
  }
  std::int64_t seek(std::int64_t, PosRef) override { throw StreamError("no seek"); }
  void close() override {}
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override { return {0, static_cast<std::int64_t>(data_.size())}; }
  RequiredMode req_mode() const override { return {m::readable | m::start_bounded, 0xFFFF & ~m::end_can_inc}; }
  Mode opt_mode() const override { return m::end_can_inc; }
  void append(std::string_view more) {
    data_ += more;
    notify_endpoints_changed();
  }

 private:
  std::string data_;
  std::int64_t pos_ = 0;
};

// File-like data whose write always fails with a stream error.
class ReadOnlyMedium final : public StreamerData {
 public:
  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t) override { return Entity(Bytes()); }
  void write(const Entity&) override { throw StreamError("medium is read-only"); }
  std::int64_t seek(std::int64_t p, PosRef) override { return p; }
  void close() override {}
  std::int64_t pos() const override { return 0; }
  Endpoints endpoints() const override { return {}; }
  RequiredMode req_mode() const override { return {0, 0}; }
  Mode opt_mode() const override { return 0xFFFF; }
};
}  // namespace

TEST(StreamerScenario, EndpointNotificationFollowsGrowingData) {
  auto data = std::make_unique<GrowingBytes>();
  GrowingBytes* growing = data.get();
  StreamerConfig cfg;
  cfg.mode = m::readable | m::start_bounded | m::end_can_inc;
  FakePeer f(std::move(data), cfg);
  growing->set_endpoints_listener([&] {
    f.core.handle_endpoints_changed();
    f.pump();
  });
  f.connect(15, 10, 100);
  growing->append("abc");
  f.send("peer_read_start", {0, null(), null(), false});  // no eos: tail-follow
  f.send("peer_read_lim", {1, 100});
  EXPECT_EQ(describe(f.calls.back()), "peer_read_push(1, 0, b'abc', False)");
  growing->append("de");
  EXPECT_EQ(describe(f.calls.back()), "peer_read_push(2, 0, b'de', False)");
  f.send("peer_close", {2});
  growing->append("f");  // notifications are disabled after close
  EXPECT_EQ(describe(f.calls.back()), "peer_closed(3)");
}

TEST(StreamerScenario, D4_D18_WriteErrorIsContextErrorAndReleasesPending) {
  StreamerConfig cfg;
  cfg.mode = m::writable | m::seek_fwd | m::seek_rew;
  cfg.write_buffer = true;
  FakePeer f(std::make_unique<ReadOnlyMedium>(), cfg);
  f.connect();
  f.send("peer_write_start", {0, null(), null()});
  f.send("peer_write_push", {1, 0, bytes("x")});
  EXPECT_EQ(describe(f.calls.back()), "peer_error(2, 0, 1)");
  f.send("peer_write_push", {2, 0, bytes("y")});  // dropped while in error
  EXPECT_EQ(f.core.write_pending(), 0);           // REF keeps it counted (D18)
  EXPECT_FALSE(f.core.failed());
  f.send("peer_write_start", {3, 0, 1});  // a new context clears the error
  EXPECT_EQ(f.core.context_error(), std::nullopt);
  EXPECT_EQ(describe(f.calls.back()), "peer_write_lim(4, 3, 10000000)");
}

TEST(StreamerScenario, C68_NonStringFailMessageIsArgErr) {
  auto f = fixed_bytes(abc25);
  f->connect();
  auto t = f->send("peer_fail", {0, 5});
  EXPECT_EQ(f->reply(t).kind, CallReply::Kind::exception);
  EXPECT_TRUE(f->core.failed());
  EXPECT_EQ(describe(f->calls), strs({"peer_fail(0, 'Invalid peer_fail arguments')"}));
  // A well-formed remote failure (with or without message) is accepted silently.
  auto g = fixed_bytes(abc25);
  g->connect();
  auto u = g->send("peer_fail", {0});
  EXPECT_EQ(g->reply(u).value, null());
  EXPECT_TRUE(g->core.failed());
  EXPECT_TRUE(g->calls.empty());
}

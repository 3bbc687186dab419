// Stream-peer conformance scenarios (stream.md §12.2) against a scripted fake streamer. Each
// test is named by its scenario number; SPEC fixes of §13 are asserted where they differ from
// the reference.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "peer_harness.hpp"
#include "vse/stream/constants.hpp"

namespace versile::stream::testing {
namespace {

using Calls = std::vector<std::string>;
constexpr Mode kFixedBytes = 0x1045;      // READABLE|START_BOUNDED|END_BOUNDED|FIXED_DATA
constexpr Mode kFixedSeek = 0x1C45;       // + SEEK_REW|SEEK_FWD
constexpr Mode kFileRw = 0x0FC7;          // r+ file with both seeks (recipe b)
constexpr Mode kWriteOnly = 0x0046;       // WRITABLE|START_BOUNDED|END_BOUNDED

PeerConfig readahead_config() {
  PeerConfig c;
  c.readahead = true;
  return c;
}

Entity ints(std::initializer_list<int> values) {
  std::vector<Entity> items;
  for (int v : values) items.emplace_back(v);
  return Entity(Tuple(std::move(items)));
}

TEST(PeerScenario, C01_ByteFixedReadAheadRecvLoop) {
  Harness h(ElementKind::bytes, kFixedBytes, readahead_config());
  h.handshake(kFixedBytes);
  EXPECT_EQ(h.fake->take(), Calls{"peer_connect(<ref>, 15, 10, 1000000)"});
  EXPECT_THROW(h.stream->recv(100, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(),
            (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 10000000)"}));
  const std::string data(51, 'q');
  EXPECT_TRUE(h.seq("peer_set_start_pos", {0, 0})->is_null_result());
  EXPECT_TRUE(h.seq("peer_read_push", {0, B(data), true})->is_null_result());
  EXPECT_EQ(str(h.stream->recv(100, kNow)), data);
  EXPECT_EQ(str(h.stream->recv(100, kNow)), "");
  EXPECT_EQ(str(h.stream->recv(100, kNow)), "");
  EXPECT_TRUE(h.fake->take().empty());
}

TEST(PeerScenario, C02_RecipeEntityCallSequence) {
  Harness h(ElementKind::entities, kFixedBytes, readahead_config());
  EXPECT_EQ(h.fake->take(), Calls{"peer_connect(<ref>, 15, 10, 1000)"});
  h.handshake(kFixedBytes, 0, 15, 10, 1000);
  h.stream->set_eos_policy(true);
  EXPECT_TRUE(h.stream->wait_status({.active = true}, kNow));
  std::vector<std::string> items;
  std::thread streamer([&] {
    // Plays the streamer once the peer's read context is out.
    while (h.fake->all().size() < 3) std::this_thread::sleep_for(1ms);
    h.seq("peer_set_start_pos", {0, 0});
    h.seq("peer_read_push", {0,
                             Entity(Tuple{Entity("John Doe #1"), Entity("John Doe #2"),
                                          Entity("John Doe #3"), Entity("John Doe #4"),
                                          Entity("John Doe #5")}),
                             true});
  });
  for (const Entity& item : h.stream->iterator(5s)) items.push_back(item.as_string());
  streamer.join();
  EXPECT_EQ(items, (std::vector<std::string>{"John Doe #1", "John Doe #2", "John Doe #3",
                                             "John Doe #4", "John Doe #5"}));
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)",
                                   "peer_read_lim(1, 10000)", "peer_close(2)"}));
  EXPECT_TRUE(h.stream->done());
  EXPECT_FALSE(h.stream->closed());
  EXPECT_TRUE(h.seq("peer_closed", {})->is_null_result());
  EXPECT_TRUE(h.stream->closed());
  EXPECT_TRUE(h.fake->released);
}

TEST(PeerScenario, C03_RecipeBytesCallSequence) {
  Harness h(ElementKind::bytes, kFileRw, readahead_config());
  h.handshake(kFileRw);
  h.fake->take();
  h.stream->wseek(0);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_start(0, 0, 1)"});
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_write_lim", {0, 10000000});
  const std::string msg = "This is an important message";
  h.stream->write(B(msg));
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_push(1, 0, b'" + msg + "')"});
  h.stream->set_eos_policy(true);
  h.stream->enable_readahead();
  EXPECT_TRUE(h.fake->take().empty());
  h.stream->rseek(0);
  EXPECT_EQ(h.fake->take(),
            (Calls{"peer_read_start(2, 0, 1, true)", "peer_read_lim(3, 10000000)"}));
  h.seq("peer_set_start_pos", {2, 0});
  h.seq("peer_read_push", {2, B(msg), true});
  EXPECT_EQ(str(h.stream->read()), msg);
  h.stream->close();
  EXPECT_EQ(h.fake->take(), Calls{"peer_close(4)"});
  h.seq("peer_closed", {});
  EXPECT_TRUE(h.stream->closed());
}

TEST(PeerScenario, C04_ConnectArguments) {
  Harness b(ElementKind::bytes, kFixedBytes);
  EXPECT_EQ(b.fake->take(), Calls{"peer_connect(<ref>, 15, 10, 1000000)"});
  b.handshake(kFixedBytes, 0, 15, 10, 1000000);
  EXPECT_TRUE(b.stream->connected());
  EXPECT_EQ(b.stream->mode(), kFixedBytes);
  Harness e(ElementKind::entities, kFixedBytes);
  EXPECT_EQ(e.fake->take(), Calls{"peer_connect(<ref>, 15, 10, 1000)"});
  e.handshake(kFixedBytes, 0, 15, 10, 1000);
  EXPECT_TRUE(e.stream->active());
  EXPECT_EQ(e.stream->pos(kNow), 0);
}

TEST(PeerScenario, C09_LazyLimitsWithoutReadAhead) {
  Harness h(ElementKind::bytes, kFixedSeek);
  h.handshake(kFixedSeek);
  h.fake->take();
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)"}));
  h.seq("peer_set_start_pos", {0, 100});
  h.seq("peer_read_push", {0, B("abc"), false});
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "abc");
  EXPECT_EQ(h.stream->pos(kNow), 103);
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(2, 8)"});
  h.seq("peer_read_push", {0, B(""), true});
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "");
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "");
  // After 6 consumed the next limit would be 11 (§8.1 example): covered by the arithmetic of
  // a fresh context.
  h.stream->rseek(0);
  h.fake->take();
  h.seq("peer_set_start_pos", {3, 0});
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(4, 5)"});
  h.seq("peer_read_push", {3, B("abc"), false});
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "abc");
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(5, 8)"});
  h.seq("peer_read_push", {3, B("def"), false});
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "def");
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(6, 11)"});
}

TEST(PeerScenario, C10_ReadAheadStepRounding) {
  Harness h(ElementKind::bytes, kFixedBytes, readahead_config());
  h.handshake(kFixedBytes);
  h.fake->take();
  h.stream->set_readahead(10, 4);
  EXPECT_TRUE(h.fake->take().empty());  // no read context yet
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 8)"}));
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("abcdefgh"), false});
  Calls limits;
  for (int consumed = 1; consumed <= 7; ++consumed) {
    EXPECT_EQ(h.stream->recv(1, kNow).as_bytes().size(), 1u);
    for (auto& c : h.fake->take()) limits.push_back(std::to_string(consumed) + ":" + c);
  }
  EXPECT_EQ(limits, (Calls{"2:peer_read_lim(2, 12)", "6:peer_read_lim(3, 16)"}));
  h.stream->set_readahead(20);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(4, 20)"});
  h.stream->disable_readahead();
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "h");
  EXPECT_TRUE(h.fake->take().empty());  // limits already granted stay; no read-ahead update
}

TEST(PeerScenario, C10_ReadAheadRejectsZero) {
  Harness h(ElementKind::bytes, kFixedBytes, readahead_config());
  EXPECT_THROW(h.stream->set_readahead(0), StreamError);
  EXPECT_THROW(h.stream->set_readahead(10, 0), StreamError);
}

TEST(PeerScenario, C11_PeerAcceptsGrowingWriteLimits) {
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw);
  h.fake->take();
  h.stream->wseek(0);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_write_lim", {0, 20});
  EXPECT_EQ(h.stream->send(B(std::string(25, 'x')), kNow), 20u);
  EXPECT_THROW(h.stream->send(B("y"), kNow), StreamTimeout);
  h.seq("peer_write_lim", {0, 30});
  EXPECT_EQ(h.stream->send(B(std::string(25, 'x')), kNow), 10u);
  EXPECT_FALSE(h.stream->failed());
  EXPECT_EQ(h.stream->pos(kNow), 30);
}

TEST(PeerScenario, C12_WriteLimitCappedAtEnd) {
  Harness h(ElementKind::bytes, 0x0EC7);  // non-growable file: no END_CAN_INC
  h.handshake(0x0EC7);
  h.fake->take();
  h.stream->wseek(7);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_start(0, 7, 1)"});
  h.seq("peer_set_start_pos", {0, 7});
  h.seq("peer_write_lim", {0, 3});
  EXPECT_EQ(h.stream->send(B("abcdef"), kNow), 3u);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_push(1, 0, b'abc')"});
  EXPECT_THROW(h.stream->send(B("def"), 50ms), StreamTimeout);
}

TEST(PeerScenario, C13_WritePackageSize) {
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw, 0, 15, 10, 4);
  h.fake->take();
  EXPECT_THROW(h.stream->send(B("hello world"), kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_start(0, null, null)"});
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_write_lim", {0, 6});
  EXPECT_EQ(h.stream->send(B("hello world"), kNow), 4u);
  EXPECT_EQ(h.stream->send(B("o world"), kNow), 2u);
  EXPECT_THROW(h.stream->send(B("world"), kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(),
            (Calls{"peer_write_push(1, 0, b'hell')", "peer_write_push(2, 0, b'o ')"}));
}

TEST(PeerScenario, C13_WritePushWindow) {
  // w_num outstanding pushes at most; a result frees a slot (§8.4).
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw, 0, 15, 2, 4);
  h.fake->take();
  h.stream->wseek(0);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_write_lim", {0, 100});
  EXPECT_EQ(h.stream->send(B("aaaa"), kNow), 4u);
  EXPECT_EQ(h.stream->send(B("bbbb"), kNow), 4u);
  EXPECT_THROW(h.stream->send(B("cccc"), kNow), StreamTimeout);
  auto obs = std::make_shared<RecordingObserver>();
  h.stream->add_observer(obs);
  h.fake->take(true);  // results of both pushes
  EXPECT_EQ(obs->take(), Calls{"can_send"});
  EXPECT_EQ(h.stream->send(B("cccc"), kNow), 4u);
}

TEST(PeerScenario, C14_SeekDiscardsStalePushes) {
  PeerConfig c = readahead_config();
  Harness h(ElementKind::bytes, kFixedSeek, c);
  h.handshake(kFixedSeek);
  h.fake->take();
  h.stream->set_readahead(20, 5);
  EXPECT_THROW(h.stream->recv(3, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 20)"}));
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("ABCDEFG"), false});
  EXPECT_EQ(str(h.stream->recv(3, kNow)), "ABC");
  h.seq("peer_read_push", {0, B("HIJKLMN"), false});
  h.stream->rseek(50);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(2, 50, 1, true)", "peer_read_lim(3, 20)"}));
  EXPECT_TRUE(h.seq("peer_read_push", {0, B("OPQRST"), false})->is_null_result());  // stale
  h.seq("peer_set_start_pos", {2, 50});
  h.seq("peer_read_push", {2, B("YZABCDE"), false});
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "YZABC");
  EXPECT_EQ(h.stream->pos(kNow), 55);
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerScenario, C15_SeekFromEnd) {
  Harness h(ElementKind::bytes, kFixedSeek);
  h.handshake(kFixedSeek);
  h.fake->take();
  h.stream->rseek(-3, PosRef::end);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_start(0, -3, 3, true)"});
  EXPECT_THROW(h.stream->recv(1048576, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(1, 1048576)"});
  h.seq("peer_set_start_pos", {0, 97});
  h.seq("peer_read_push", {0, B("xyz"), true});
  EXPECT_EQ(str(h.stream->read()), "xyz");
  // REF (trace seek-and-reread): the empty recv at eos still raises the lazy limit.
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_lim(2, 1048579)"});
  EXPECT_EQ(str(h.stream->recv(10, kNow)), "");
  EXPECT_EQ(h.stream->pos(kNow), 100);
}

TEST(PeerScenario, C16_DelayedSeekLastWins) {
  Harness h(ElementKind::bytes, kFixedSeek);
  h.handshake(kFixedSeek);
  h.fake->take();
  h.stream->seek(5);
  h.stream->seek(-2, PosRef::end);
  EXPECT_TRUE(h.fake->take().empty());
  EXPECT_THROW(h.stream->recv(4, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, -2, 3, true)", "peer_read_lim(1, 4)"}));
}

TEST(PeerScenario, C17_SeekCurrentConvertsToAbs) {
  Harness h(ElementKind::bytes, kFixedSeek);
  h.handshake(kFixedSeek);
  h.fake->take();
  h.stream->rseek(8);
  h.seq("peer_set_start_pos", {0, 8});
  h.fake->take();
  h.stream->seek(2, PosRef::current);
  EXPECT_EQ(h.fake->take(), Calls{"peer_read_start(1, 10, 1, true)"});  // no read_lim
}

TEST(PeerScenario, C18_WriteAfterReadAheadStartsAtStreamerPosition) {
  Harness h(ElementKind::bytes, kFileRw, readahead_config());
  h.handshake(kFileRw);
  h.fake->take();
  h.stream->set_readahead(4, 2);
  EXPECT_THROW(h.stream->recv(2, kNow), StreamTimeout);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("0123"), false});
  EXPECT_EQ(str(h.stream->recv(2, kNow)), "01");
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 4)",
                                   "peer_read_lim(2, 6)"}));
  EXPECT_THROW(h.stream->send(B("XY"), kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_start(3, null, null)"});
  h.seq("peer_read_push", {0, B("45"), false});  // stale read-ahead
  h.seq("peer_set_start_pos", {3, 6});
  h.seq("peer_write_lim", {3, 10000000});
  EXPECT_EQ(h.stream->send(B("XY"), kNow), 2u);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_push(4, 3, b'XY')"});
  EXPECT_EQ(h.stream->pos(kNow), 8);
}

TEST(PeerScenario, C19_TruncAfterRelabelsContext) {
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw);
  h.fake->take();
  h.stream->wseek(4);
  h.seq("peer_set_start_pos", {0, 4});
  h.seq("peer_write_lim", {0, 10000000});
  h.stream->write(B("ab"));
  h.stream->trunc_after(kNow);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_write_start(0, 4, 1)", "peer_write_push(1, 0, b'ab')",
                                   "peer_trunc_after(2)"}));
  EXPECT_THROW(h.stream->send(B("cd"), kNow), StreamTimeout);  // old grant void
  h.seq("peer_write_lim", {0, 20000000});  // old context: ignored
  EXPECT_THROW(h.stream->send(B("cd"), kNow), StreamTimeout);
  h.seq("peer_write_lim", {2, 10000000});
  h.stream->write(B("cd"));
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_push(3, 2, b'cd')"});
  EXPECT_EQ(h.stream->pos(kNow), 8);
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerScenario, C20_IteratorManyItemsReachesClosed) {
  Harness h(ElementKind::entities, kFixedBytes, readahead_config());
  h.handshake(kFixedBytes, 0, 15, 10, 1000);
  h.fake->take();
  std::thread streamer([&] {
    while (h.fake->all().size() < 3) std::this_thread::sleep_for(1ms);
    h.seq("peer_set_start_pos", {0, 0});
    int next = 0;
    for (int pkg : {1000, 1000, 500}) {
      std::vector<Entity> items;
      for (int k = 0; k < pkg; ++k) items.emplace_back(next++);
      h.seq("peer_read_push", {0, Entity(Tuple(std::move(items))), pkg < 1000});
    }
  });
  std::int64_t expected = 0;
  for (const Entity& item : h.stream->iterator(5s)) {
    ASSERT_EQ(item.as_int64(), expected);
    ++expected;
  }
  streamer.join();
  EXPECT_EQ(expected, 2500);
  EXPECT_EQ(h.fake->take().back(), "peer_close(2)");
  h.seq("peer_closed", {});
  EXPECT_TRUE(h.stream->wait_status({.closed = true}, kNow));
}

TEST(PeerScenario, C28_ReadOnlyStreamerFailsSend) {
  Harness h(ElementKind::entities, kFixedBytes);
  h.handshake(kFixedBytes, 0, 15, 10, 1000);
  h.fake->take();
  auto pending = std::async(std::launch::async, [&] { return h.stream->send(ints({1}), 5s); });
  while (h.fake->all().size() < 2) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_start(0, null, null)"});
  h.seq("peer_fail", {Entity("Stream not writable")});
  EXPECT_THROW(pending.get(), StreamFailure);  // SPEC (D7): woken, not a timeout
  EXPECT_TRUE(h.stream->failed());
  EXPECT_TRUE(h.fake->take().empty());  // a remote failure is not answered with peer_fail
}

TEST(PeerScenario, C31_NoSeekNoTruncOnFixedStream) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.handshake(kFixedBytes);
  h.fake->take();
  for (auto op : {0, 1, 2}) {
    try {
      if (op == 0) h.stream->rseek(0);
      if (op == 1) h.stream->seek(0);
      if (op == 2) h.stream->wseek(0);
      ADD_FAILURE() << "seek allowed";
    } catch (const StreamError& e) {
      EXPECT_STREQ(e.what(), "Stream does not allow seek operations");
    }
  }
  EXPECT_THROW(h.stream->trunc_before(kNow), StreamError);
  EXPECT_THROW(h.stream->trunc_after(kNow), StreamError);
  EXPECT_TRUE(h.fake->take().empty());
}

TEST(PeerScenario, C31_SeekDirectionChecks) {
  Harness h(ElementKind::bytes, 0x1445);  // SEEK_REW only
  h.handshake(0x1445, 10);
  h.fake->take();
  try {
    h.stream->rseek(11);
    ADD_FAILURE();
  } catch (const StreamError& e) {
    EXPECT_STREQ(e.what(), "Forward seek not allowed");
  }
  h.stream->rseek(10);  // equal: allowed, a new context is still started
  h.stream->rseek(-1, PosRef::end);  // not ABS: no local check
  EXPECT_EQ(h.fake->take(),
            (Calls{"peer_read_start(0, 10, 1, true)", "peer_read_start(1, -1, 3, true)"}));
}

TEST(PeerScenario, C32_ModeMismatchFailsAndReports) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.fake->take();
  h.handshake(kFixedSeek);
  EXPECT_TRUE(h.stream->failed());
  EXPECT_FALSE(h.stream->connected());
  EXPECT_EQ(h.fake->take(), Calls{"peer_fail(0, \"Streamer peer mode mismatch\")"});  // D8 fix
  EXPECT_THROW(h.stream->recv(1, kNow), StreamFailure);
}

TEST(PeerScenario, C33_InvalidModeFails) {
  Harness h(ElementKind::bytes, std::nullopt);
  h.fake->take();
  h.handshake(0x0004);
  EXPECT_TRUE(h.stream->wait_status({.failed = true}, kNow));  // D9 fix: not stuck
  EXPECT_FALSE(h.stream->connected());
  EXPECT_EQ(h.fake->take(), Calls{"peer_fail(0, \"Invalid stream mode\")"});
}

TEST(PeerScenario, C33_MalformedConnectResultFails) {
  Harness h(ElementKind::bytes, std::nullopt);
  h.fake->take();
  h.handshake_with(Entity(Tuple{Entity(0x1045), Entity(true), Entity(15), Entity(10), Entity(5)}));
  EXPECT_TRUE(h.stream->failed());
  EXPECT_EQ(h.fake->take(), Calls{"peer_fail(0, null)"});
}

TEST(PeerScenario, C33_ConnectExceptionFailsSilently) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.fake->take();
  auto c = h.fake->find("peer_connect");
  FakeStreamer::answer_call(*c, link::CallOutcome::exception(Entity(Exception{Tuple{Entity("Can only connect once")}})));
  EXPECT_TRUE(h.stream->failed());
  EXPECT_TRUE(h.fake->take().empty());  // the streamer belongs to another peer: nothing sent
}

TEST(PeerScenario, C38_ContextErrors) {
  Harness h(ElementKind::bytes, kFixedSeek);
  h.handshake(kFixedSeek);
  auto obs = std::make_shared<RecordingObserver>();
  h.stream->add_observer(obs);
  h.stream->rseek(0);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_error", {0, 2});
  EXPECT_THROW(h.stream->recv(1, kNow), StreamInvalidPos);
  EXPECT_THROW(h.stream->pos(kNow), StreamInvalidPos);
  EXPECT_EQ(obs->take(), Calls{"ctx_error"});
  h.stream->rseek(0);  // clears the error
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  h.seq("peer_error", {0, 2});  // for the old context: ignored
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  h.seq("peer_error", {1, 7});
  try {
    h.stream->recv(1, kNow);
    ADD_FAILURE();
  } catch (const StreamInvalidPos&) {
    ADD_FAILURE() << "code 7 is a general error";
  } catch (const StreamError&) {
  }
  EXPECT_EQ(obs->take(), Calls{"ctx_error"});
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerScenario, C38_StartExceptionIsContextError) {
  // §12.1 #9 SPEC: "Could not initiate reading" → GENERAL context error, not a hang.
  Harness h(ElementKind::bytes, kFixedSeek);
  h.handshake(kFixedSeek);
  h.fake->take();
  h.stream->rseek(100);
  auto start = h.fake->find("peer_read_start");
  FakeStreamer::answer_call(
      *start, link::CallOutcome::exception(Entity(Exception{Tuple{Entity("Could not initiate reading")}})));
  try {
    h.stream->recv(1, kNow);
    ADD_FAILURE();
  } catch (const StreamInvalidPos&) {
    ADD_FAILURE();
  } catch (const StreamFailure&) {
    ADD_FAILURE();
  } catch (const StreamError&) {
  }
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerScenario, C39_Close) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.handshake(kFixedBytes);
  h.fake->take();
  auto obs = std::make_shared<RecordingObserver>();
  h.stream->add_observer(obs);
  h.stream->close();
  EXPECT_EQ(h.fake->take(), Calls{"peer_close(0)"});
  EXPECT_TRUE(h.stream->done());
  EXPECT_FALSE(h.stream->active());
  try {
    h.stream->recv(1, kNow);
    ADD_FAILURE();
  } catch (const StreamError& e) {
    EXPECT_STREQ(e.what(), "Stream was closed");
  }
  h.stream->close();  // idempotent
  EXPECT_TRUE(h.fake->take().empty());
  h.seq("peer_closed", {});
  EXPECT_TRUE(h.stream->closed());
  EXPECT_EQ(obs->take(), Calls{"closed"});
}

TEST(PeerScenario, C40_CloseWithPushesInFlight) {
  PeerConfig c = readahead_config();
  c.r_size = 10;
  Harness h(ElementKind::bytes, kFixedBytes, c, false);
  h.handshake(kFixedBytes);
  EXPECT_EQ(h.fake->take(), Calls{"peer_connect(<ref>, 15, 10, 10)"});
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 100)"}));
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("0123456789"), false});
  h.stream->close();
  std::vector<std::shared_ptr<Reply>> replies;
  for (int k = 0; k < 9; ++k) replies.push_back(h.seq("peer_read_push", {0, B("0123456789"), false}));
  auto closed = h.seq("peer_closed", {});
  EXPECT_TRUE(closed->is_null_result());
  for (auto& r : replies) EXPECT_TRUE(r->is_null_result());
  EXPECT_TRUE(h.stream->closed());  // D5 fix: ids consumed after close
}

TEST(PeerScenario, C42_RemoteFailWakesBlockedRecv) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.handshake(kFixedBytes);
  auto obs = std::make_shared<RecordingObserver>();
  h.stream->add_observer(obs);
  auto pending = std::async(std::launch::async, [&] { return h.stream->recv(10); });
  while (h.fake->all().size() < 3) std::this_thread::sleep_for(1ms);
  h.seq("peer_fail", {Entity("boom")});
  EXPECT_THROW(pending.get(), StreamFailure);
  EXPECT_TRUE(h.stream->failed());
  EXPECT_EQ(obs->take(), Calls{"failed"});
}

TEST(PeerScenario, C43_UnsolicitedClosedWhileRecvBlocks) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.handshake(kFixedBytes);
  auto pending = std::async(std::launch::async, [&] { return h.stream->recv(10); });
  while (h.fake->all().size() < 3) std::this_thread::sleep_for(1ms);
  h.seq("peer_closed", {});
  try {
    pending.get();
    ADD_FAILURE();
  } catch (const StreamFailure&) {
    ADD_FAILURE();
  } catch (const StreamError& e) {
    EXPECT_STREQ(e.what(), "Local context changed");
  }
  const StatusFlags s = h.stream->status();
  EXPECT_TRUE(s.closed);
  EXPECT_FALSE(s.active);
  EXPECT_FALSE(s.done);
  // D10 fix: later operations raise stream errors, close() is a no-op.
  EXPECT_THROW(h.stream->recv(1, kNow), StreamError);
  h.stream->close();
}

TEST(PeerScenario, C44_DropHandleClosesOrFails) {
  {
    Harness h(ElementKind::bytes, kFixedBytes);
    h.handshake(kFixedBytes);
    h.fake->take();
    h.stream.reset();
    EXPECT_EQ(h.fake->take(), Calls{"peer_close(0)"});
    h.seq("peer_closed", {});
    EXPECT_TRUE(h.session->status().closed);
  }
  {
    Harness h(ElementKind::bytes, kFixedBytes);
    h.fake->take();
    Stream copy = *h.stream;
    h.stream.reset();
    EXPECT_FALSE(h.session->status().failed);  // a copy is still alive
    copy = Stream(h.session);                  // drops the shared handle
    EXPECT_TRUE(h.session->status().failed);
    h.handshake(kFixedBytes);
    // SPEC: the streamer accepted us after all, so it learns about the failure.
    EXPECT_EQ(h.fake->take(), Calls{"peer_fail(0, \"Stream no longer referenced\")"});
  }
  {
    // Dropped before the connect answer, which then never comes (the link went down): the
    // streamer reference must still be released, or session and peer object keep each other.
    // A write context opened before the answer holds its calls back until then.
    Harness h(ElementKind::bytes, kFileRw);
    h.fake->take();
    EXPECT_THROW(h.stream->send(B("abc"), kNow), StreamTimeout);  // no write window yet
    EXPECT_TRUE(h.fake->take().empty());                          // peer_write_start is held
    h.stream.reset();
    EXPECT_TRUE(h.session->status().failed);
    EXPECT_FALSE(h.fake->released);  // a connect answer could still require peer_fail
    auto c = h.fake->find("peer_connect");
    ASSERT_TRUE(c);
    FakeStreamer::answer_call(*c, link::CallOutcome::failure(link::Errc::link_closed));
    EXPECT_TRUE(h.fake->released);
    EXPECT_TRUE(h.fake->take().empty());
  }
}

TEST(PeerScenario, C45_LinkLossFailsAndWakes) {
  Harness h(ElementKind::bytes, kFixedBytes, readahead_config());
  h.handshake(kFixedBytes);
  auto obs = std::make_shared<RecordingObserver>();
  h.stream->add_observer(obs);
  auto pending = std::async(std::launch::async, [&] { return h.stream->recv(10); });
  while (h.fake->all().size() < 3) std::this_thread::sleep_for(1ms);
  h.fake->take();
  h.session->link_lost();
  EXPECT_THROW(pending.get(), StreamFailure);
  EXPECT_TRUE(h.stream->failed());
  EXPECT_EQ(obs->take(), Calls{"failed"});
  EXPECT_TRUE(h.fake->take().empty());  // nothing is sent on a lost link
}

TEST(PeerScenario, C46_IteratorTimeoutWithoutEos) {
  PeerConfig c = readahead_config();
  c.eos_policy = false;
  Harness h(ElementKind::entities, kFixedBytes, c);
  h.handshake(kFixedBytes, 0, 15, 10, 1000);
  h.fake->take();
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, false)", "peer_read_lim(1, 10000)"}));
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, ints({1, 2, 3}), false});
  std::vector<std::int64_t> items;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    for (const Entity& e : h.stream->iterator(300ms)) items.push_back(e.as_int64());
    ADD_FAILURE() << "iterator ended";
  } catch (const StreamTimeout&) {
  }
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
  EXPECT_EQ(items, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(h.stream->active());
}

TEST(PeerScenario, C47_ReadCountsAndEmptyIterator) {
  Harness h(ElementKind::entities, kFixedBytes, readahead_config());
  h.handshake(kFixedBytes, 0, 15, 10, 1000);
  h.fake->take();
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, ints({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), true});
  EXPECT_EQ(h.stream->read(4), ints({0, 1, 2, 3}));
  EXPECT_EQ(h.stream->read(100), ints({4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(h.stream->read(), Entity(Tuple()));
  int n = 0;
  for (const Entity& e : h.stream->iterator()) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, 0);
  EXPECT_TRUE(h.stream->done());
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 10000)",
                                   "peer_close(2)"}));
}

TEST(PeerScenario, C48_PushBeyondLimitFails) {
  Harness h(ElementKind::bytes, kFixedBytes);
  h.handshake(kFixedBytes);
  h.fake->take();
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("abcdef"), false});
  EXPECT_TRUE(h.stream->failed());
  EXPECT_THROW(h.stream->recv(5, kNow), StreamFailure);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)",
                                   "peer_fail(2, \"Read push limit exceeded\")"}));
}

// A fresh stream with an open read context at position 0 and read limit 5.
struct ReadingHarness : Harness {
  ReadingHarness() : Harness(ElementKind::bytes, kFixedBytes) {
    handshake(kFixedBytes);
    EXPECT_THROW(stream->recv(5, kNow), StreamTimeout);
    fake->take();
  }
  std::string failure() {
    auto calls = fake->take();
    return calls.empty() ? "" : calls.back();
  }
};

TEST(PeerScenario, C49_ReadPushViolations) {
  {
    ReadingHarness h;
    h.seq("peer_read_push", {0, B("ab"), false});
    EXPECT_EQ(h.failure(), "peer_fail(2, \"Read push without position\")");
  }
  {
    ReadingHarness h;
    h.seq("peer_set_start_pos", {0, 0});
    h.seq("peer_read_push", {0, B("ab"), true});
    h.seq("peer_read_push", {0, B("c"), false});
    EXPECT_EQ(h.failure(), "peer_fail(2, \"Read push after end-of-stream\")");
  }
  {
    ReadingHarness h;
    h.seq("peer_set_start_pos", {0, 0});
    h.seq("peer_read_push", {0, B(""), false});
    EXPECT_EQ(h.failure(), "peer_fail(2, \"Invalid read push package\")");
  }
  {
    PeerConfig c;
    c.r_size = 4;
    Harness h(ElementKind::bytes, kFixedBytes, c, false);
    h.handshake(kFixedBytes);
    EXPECT_THROW(h.stream->recv(3, kNow), StreamTimeout);
    h.fake->take();
    h.seq("peer_set_start_pos", {0, 0});
    h.seq("peer_read_push", {0, B("abcde"), false});
    EXPECT_EQ(h.fake->take().back(), "peer_fail(2, \"Read push package too large\")");
  }
  {
    ReadingHarness h;
    h.seq("peer_set_start_pos", {0, 0});
    auto r = h.seq("peer_read_push", {0, Entity("text"), false});
    EXPECT_TRUE(r->is_exception());
    EXPECT_EQ(r->outcome->value(), Entity(Exception{Tuple{Entity("Invalid read push data")}}));
    EXPECT_EQ(h.failure(), "peer_fail(2, \"Invalid peer_read_push arguments\")");
  }
  {
    ReadingHarness h;  // eos must be a boolean
    auto r = h.seq("peer_read_push", {0, B("a"), 1});
    EXPECT_TRUE(r->is_exception());
    EXPECT_TRUE(h.stream->failed());
  }
}

TEST(PeerScenario, C50_SecondStartPosition) {
  ReadingHarness h;
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_set_start_pos", {0, 0});
  EXPECT_EQ(h.failure(), "peer_fail(2, \"Too many position notifications\")");
}

TEST(PeerScenario, C51_WriteLimitViolations) {
  auto writing = [](bool with_pos) {
    auto h = std::make_unique<Harness>(ElementKind::bytes, kFileRw);
    h->handshake(kFileRw);
    h->stream->wseek(0);
    if (with_pos) h->seq("peer_set_start_pos", {0, 0});
    h->fake->take();
    return h;
  };
  {
    auto h = writing(true);
    h->seq("peer_write_lim", {0, 10});
    h->seq("peer_write_lim", {0, 10});
    EXPECT_EQ(h->fake->take(), Calls{"peer_fail(1, \"Illegal write limit\")"});
  }
  {
    auto h = writing(false);
    h->seq("peer_write_lim", {0, 10});
    EXPECT_EQ(h->fake->take(), Calls{"peer_fail(1, \"Write limit without position\")"});
  }
  {
    auto h = writing(true);
    h->seq("peer_write_lim", {5, 10});  // another context: ignored
    EXPECT_TRUE(h->fake->take().empty());
    EXPECT_FALSE(h->stream->failed());
  }
  {
    ReadingHarness h;
    h.seq("peer_set_start_pos", {0, 0});
    h.seq("peer_write_lim", {0, 10});
    EXPECT_EQ(h.failure(), "peer_fail(2, \"Write limit requires write mode\")");
  }
}

TEST(PeerScenario, C69_RecvTimeouts) {
  ReadingHarness h;
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);  // SPEC (D19): not a None result
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(h.stream->recv(5, 200ms), StreamTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 190ms);
  EXPECT_THROW(h.stream->pos(kNow), StreamTimeout);  // start position not yet known
}

TEST(PeerScenario, C70_WaitStatusTimeouts) {
  Harness h(ElementKind::bytes, kFixedBytes);
  EXPECT_FALSE(h.stream->wait_status({.closed = true}, kNow));
  EXPECT_FALSE(h.stream->wait_status({.closed = true}, 50ms));
  EXPECT_FALSE(h.stream->wait_status({.active = true}, kNow));
  h.handshake(kFixedBytes);
  EXPECT_TRUE(h.stream->wait_status({.connected = true, .closed = true}, kNow));
}

TEST(PeerScenario, C71_TruncWithoutPositionTimesOut) {
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw);
  h.stream->wseek(0);
  h.fake->take();
  EXPECT_THROW(h.stream->trunc_after(kNow), StreamTimeout);  // SPEC (D19): nothing sent
  EXPECT_TRUE(h.fake->take().empty());
  EXPECT_THROW(h.stream->trunc_before(kNow), StreamError);  // mode forbids it
  h.stream->rseek(0);
  try {
    h.stream->trunc_after(kNow);
    ADD_FAILURE();
  } catch (const StreamError& e) {
    EXPECT_STREQ(e.what(), "Must be in write-mode when truncating");
  }
}

TEST(PeerScenario, C72_WriteOnlyStream) {
  Harness h(ElementKind::bytes, kWriteOnly);
  h.handshake(kWriteOnly);
  h.fake->take();
  try {
    h.stream->iterator();
    ADD_FAILURE();
  } catch (const StreamError& e) {
    EXPECT_STREQ(e.what(), "Stream not readable");
  }
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 1)"}));
}

TEST(PeerScenario, C73_SendEmptyStartsContext) {
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw);
  h.fake->take();
  EXPECT_EQ(h.stream->send(B(""), kNow), 0u);
  EXPECT_EQ(h.fake->take(), Calls{"peer_write_start(0, null, null)"});
}

TEST(PeerScenario, C74_ObserverNotifications) {
  Harness h(ElementKind::bytes, kFileRw, readahead_config());
  h.handshake(kFileRw);
  auto obs = std::make_shared<RecordingObserver>();
  h.stream->add_observer(obs);
  h.stream->add_observer(obs);  // duplicate ignored
  EXPECT_THROW(h.stream->recv(1, kNow), StreamTimeout);
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("ab"), false});
  EXPECT_EQ(obs->take(), Calls{"can_recv"});
  h.seq("peer_read_push", {0, B("cd"), false});
  EXPECT_TRUE(obs->take().empty());
  EXPECT_EQ(str(h.stream->recv(10, kNow)), "abcd");
  h.seq("peer_read_push", {0, B("e"), false});
  EXPECT_EQ(obs->take(), Calls{"can_recv"});
  EXPECT_EQ(str(h.stream->recv(10, kNow)), "e");
  h.seq("peer_read_push", {0, B(""), true});
  EXPECT_TRUE(obs->take().empty());  // eos-only push
  h.stream->wseek(0);
  h.seq("peer_set_start_pos", {2, 0});
  h.seq("peer_write_lim", {2, 5});
  EXPECT_EQ(obs->take(), Calls{"can_send"});
  h.stream->remove_observer(obs);
  h.seq("peer_write_lim", {2, 6});
  EXPECT_TRUE(obs->take().empty());
}

TEST(PeerScenario, C75_RecvBeforeHandshake) {
  Harness h(ElementKind::bytes, kFixedBytes);
  EXPECT_THROW(h.stream->recv(5, kNow), StreamTimeout);
  EXPECT_EQ(h.fake->take(), Calls{"peer_connect(<ref>, 15, 10, 1000000)"});  // held back
  h.handshake(kFixedBytes, 0);
  EXPECT_EQ(h.fake->take(), (Calls{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)"}));
  h.seq("peer_set_start_pos", {0, 0});  // not a duplicate of the handshake position
  h.seq("peer_read_push", {0, B("hello"), false});
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "hello");
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerScenario, C76_CallWindowHoldsAndReleasesInOrder) {
  Harness h(ElementKind::bytes, kFixedSeek, readahead_config());
  h.handshake(kFixedSeek, 0, 2, 1, 1000000);  // streamer w_pkg=1, max_calls=1
  h.fake->take();
  for (int p : {1, 2, 3, 4}) h.stream->rseek(p);
  Calls sent;
  for (int round = 0; round < 10; ++round) {
    auto batch = h.fake->take(false);
    EXPECT_LE(batch.size(), 2u);
    sent.insert(sent.end(), batch.begin(), batch.end());
    h.fake->answer_all();
  }
  EXPECT_EQ(sent, (Calls{"peer_read_start(0, 1, 1, true)", "peer_read_lim(1, 10000000)",
                         "peer_read_start(2, 2, 1, true)", "peer_read_lim(3, 10000000)",
                         "peer_read_start(4, 3, 1, true)", "peer_read_lim(5, 10000000)",
                         "peer_read_start(6, 4, 1, true)", "peer_read_lim(7, 10000000)"}));
  for (int ctx : {0, 2, 4}) h.seq("peer_set_start_pos", {ctx, ctx / 2 + 1});  // stale
  h.seq("peer_set_start_pos", {6, 4});
  h.seq("peer_read_push", {6, B("efg"), true});
  EXPECT_EQ(str(h.stream->read()), "efg");
  EXPECT_EQ(h.stream->pos(kNow), 7);
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerScenario, C77_NegativeLimitsAndPositions) {
  {
    Harness h(ElementKind::bytes, kFileRw);
    h.handshake(kFileRw);
    h.stream->wseek(0);
    h.seq("peer_set_start_pos", {0, 0});
    h.fake->take();
    h.seq("peer_write_lim", {0, -5});
    EXPECT_EQ(h.fake->take(), Calls{"peer_fail(1, \"Illegal write limit\")"});
  }
  {
    Harness h(ElementKind::bytes, kFixedSeek);
    h.handshake(kFixedSeek);
    h.stream->rseek(-7, PosRef::end);
    h.seq("peer_set_start_pos", {0, -7});
    EXPECT_EQ(h.stream->pos(kNow), -7);
    EXPECT_FALSE(h.stream->failed());
  }
}

// ---- sequencing, argument checks and asynchronous operations -------------------------------

TEST(PeerSequencing, OutOfOrderCallsWaitAndAnswerAfterExecution) {
  ReadingHarness h;
  auto push = h.deliver("peer_read_push", {1, 0, B("abc"), false});
  EXPECT_FALSE(push->has());  // parked until #0 arrives
  auto pos = h.deliver("peer_set_start_pos", {0, 0, 0});
  EXPECT_TRUE(pos->is_null_result());
  EXPECT_TRUE(push->is_null_result());
  EXPECT_EQ(str(h.stream->recv(5, kNow)), "abc");
}

TEST(PeerSequencing, DuplicateAndOutOfWindowAreCallErrors) {
  ReadingHarness h;
  EXPECT_TRUE(h.deliver("peer_set_start_pos", {0, 0, 0})->is_null_result());
  EXPECT_TRUE(h.deliver("peer_set_start_pos", {0, 0, 0})->is_error());  // duplicate
  EXPECT_TRUE(h.deliver("peer_read_push", {16, 0, B("a"), false})->is_error());  // 1 + 15
  EXPECT_FALSE(h.deliver("peer_read_push", {15, 0, B("a"), false})->has());    // lenient bound
  EXPECT_FALSE(h.stream->failed());
}

TEST(PeerSequencing, BadCallsAndArguments) {
  ReadingHarness h;
  EXPECT_TRUE(h.deliver("peer_nosuch", {0})->is_error());
  EXPECT_TRUE(h.deliver("peer_closed", {0, 1})->is_error());  // arity
  EXPECT_FALSE(h.stream->failed());
  auto r = h.deliver("peer_set_start_pos", {-1, 0, 0});  // negative msg_id: ARGERR
  EXPECT_TRUE(r->is_exception());
  EXPECT_EQ(h.failure(), "peer_fail(2, \"Invalid peer_set_start_pos arguments\")");
}

TEST(PeerSequencing, BooleanIsNotAnInteger) {
  ReadingHarness h;
  EXPECT_TRUE(h.deliver("peer_set_start_pos", {false, 0, 0})->is_exception());
  EXPECT_TRUE(h.stream->failed());
}

TEST(PeerSequencing, OutgoingCallErrorFails) {
  Harness w(ElementKind::bytes, kFileRw);
  w.handshake(kFileRw);
  w.stream->wseek(0);
  w.seq("peer_set_start_pos", {0, 0});
  w.seq("peer_write_lim", {0, 10});
  w.fake->take();
  w.stream->send(B("abc"), kNow);
  auto push = w.fake->find("peer_write_push");
  FakeStreamer::answer_call(*push, link::CallOutcome::failure(link::Errc::call_error));
  EXPECT_TRUE(w.stream->failed());
}

TEST(PeerAsync, RecvAndSendCompleteFromEvents) {
  Harness h(ElementKind::bytes, kFileRw);
  h.handshake(kFileRw);
  std::vector<std::string> got;
  std::exception_ptr err;
  h.stream->async_recv(10, [&](std::exception_ptr e, Entity d) {
    err = e;
    got.push_back(str(d));
  });
  EXPECT_TRUE(got.empty());
  h.seq("peer_set_start_pos", {0, 0});
  h.seq("peer_read_push", {0, B("xyz"), false});
  ASSERT_EQ(got, Calls{"xyz"});
  EXPECT_FALSE(err);
  std::size_t sent = 0;
  h.stream->async_send(B("hello"), [&](std::exception_ptr e, std::size_t n) {
    err = e;
    sent = n;
  });
  EXPECT_EQ(sent, 0u);
  h.seq("peer_set_start_pos", {2, 3});
  h.seq("peer_write_lim", {2, 100});
  EXPECT_EQ(sent, 5u);
  EXPECT_FALSE(err);
  // A failure completes pending operations with the error.
  h.stream->async_send(B(std::string(200, 'x')), [&](std::exception_ptr e, std::size_t n) {
    err = e;
    sent = n;
  });
  EXPECT_EQ(sent, 95u);
  h.stream->async_send(B("more"), [&](std::exception_ptr e, std::size_t) { err = e; });
  h.seq("peer_fail", {Entity()});
  ASSERT_TRUE(err);
  EXPECT_THROW(std::rethrow_exception(err), StreamFailure);
}

TEST(PeerAsync, IteratorTimeoutZeroIsNotEndOfStream) {
  // D20 fix: "no data yet" raises StreamTimeout instead of ending (and closing) the stream.
  ReadingHarness h;
  EXPECT_THROW(
      {
        for (const Entity& e : h.stream->iterator(kNow)) (void)e;
      },
      StreamTimeout);
  EXPECT_FALSE(h.stream->done());
}

}  // namespace
}  // namespace versile::stream::testing

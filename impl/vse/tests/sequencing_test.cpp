#include <gtest/gtest.h>

#include <string>

#include "vse/stream/sequence_caller.hpp"
#include "vse/stream/sequence_queue.hpp"

namespace vs = versile::stream;

TEST(SequenceCaller, IdsAllocatedAtIssueAndHeldUntilLimitKnown) {
  vs::SequenceCaller<std::string> caller;  // limit 0 before the handshake
  EXPECT_EQ(caller.issue("a"), 0);
  EXPECT_EQ(caller.issue("b"), 1);
  EXPECT_TRUE(caller.take_dispatchable().empty());
  EXPECT_EQ(caller.held(), 2u);
  caller.set_limit(15);
  auto calls = caller.take_dispatchable();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].msg_id, 0);
  EXPECT_EQ(calls[0].payload, "a");
  EXPECT_EQ(calls[1].msg_id, 1);
  EXPECT_EQ(caller.outstanding(), 2u);
}

TEST(SequenceCaller, HeldCallsDispatchInOrderAsResultsReturn) {
  // The reference loses held calls (D2); ours must dispatch them in id order.
  vs::SequenceCaller<int> caller(2);
  for (int i = 0; i < 5; ++i) caller.issue(i);
  auto first = caller.take_dispatchable();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(caller.take_dispatchable().empty());
  EXPECT_TRUE(caller.complete(1));
  EXPECT_FALSE(caller.complete(1));   // not outstanding any more
  EXPECT_FALSE(caller.complete(3));   // never dispatched
  auto next = caller.take_dispatchable();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].msg_id, 2);
  caller.complete(0);
  caller.complete(2);
  auto rest = caller.take_dispatchable();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].msg_id, 3);
  EXPECT_EQ(rest[1].msg_id, 4);
  EXPECT_EQ(caller.next_id(), 5);
}

TEST(SequenceCaller, LowerLimitDoesNotRecall) {
  vs::SequenceCaller<int> caller(3);
  for (int i = 0; i < 4; ++i) caller.issue(i);
  EXPECT_EQ(caller.take_dispatchable().size(), 3u);
  caller.set_limit(1);
  caller.complete(0);
  EXPECT_TRUE(caller.take_dispatchable().empty());  // 2 still outstanding ≥ 1
  caller.complete(1);
  caller.complete(2);
  EXPECT_EQ(caller.take_dispatchable().size(), 1u);
  EXPECT_EQ(caller.drop_held().size(), 0u);
}

TEST(SequenceQueue, RunsInIdOrder) {
  vs::SequenceQueue<std::string> q(15);
  EXPECT_EQ(q.admit(1, "lim"), vs::StreamErrc::ok);
  EXPECT_FALSE(q.pop_ready());  // #1 waits for #0 (C61)
  EXPECT_EQ(q.admit(0, "start"), vs::StreamErrc::ok);
  auto a = q.pop_ready();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->msg_id, 0);
  EXPECT_EQ(a->pending, "start");
  auto b = q.pop_ready();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->pending, "lim");
  EXPECT_FALSE(q.pop_ready());
  EXPECT_EQ(q.next_id(), 2);
}

TEST(SequenceQueue, RejectsDuplicatesAndOutOfWindow) {
  vs::SequenceQueue<int> q(15);
  ASSERT_EQ(q.admit(0, 0), vs::StreamErrc::ok);
  ASSERT_TRUE(q.pop_ready());
  EXPECT_EQ(q.admit(0, 0), vs::StreamErrc::sequence_duplicate);
  EXPECT_EQ(q.admit(16, 0), vs::StreamErrc::sequence_out_of_window);  // next 1 + lim 15
  EXPECT_EQ(q.admit(5, 0), vs::StreamErrc::ok);
  EXPECT_EQ(q.admit(5, 1), vs::StreamErrc::sequence_already_queued);
  // Lenient (SPEC) window: the queued call does not shrink it (REF would reject 15).
  EXPECT_EQ(q.admit(15, 0), vs::StreamErrc::ok);
  EXPECT_EQ(q.queued(), 2u);
  auto dropped = q.clear();
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].msg_id, 5);
  EXPECT_EQ(dropped[1].msg_id, 15);
  EXPECT_EQ(q.queued(), 0u);
}

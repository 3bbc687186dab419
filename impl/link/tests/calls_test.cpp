// Calls in both directions: modes, results, exceptions vs errors, meta calls, ordering,
// references as arguments (link.md §5, §6, §13 notes 15–17).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

struct CallFixture : ::testing::Test {
  std::shared_ptr<FnTarget> gw = std::make_shared<FnTarget>([this](CallRequest& r) { serve(r); });
  std::vector<Tuple> seen_args;
  std::vector<CallMode> seen_modes;
  std::unique_ptr<CorePair> p;

  void serve(CallRequest& r) {
    seen_args.push_back(r.args);
    seen_modes.push_back(r.mode);
    const auto& name = r.args.empty() || !r.args[0].is<String>() ? std::string() : r.args[0].as_string();
    if (name == "add") {
      r.responder.result(Entity(r.args[1].as_int64() + r.args[2].as_int64()));
    } else if (name == "fail") {
      r.responder.exception(Entity(Exception{Tuple{Entity("bad"), Entity(7)}}));
    } else if (name == "value_exception") {
      r.responder.exception(Entity(5));
    } else if (name == "error") {
      r.responder.failure(Errc::call_error);
    } else if (name == "drop") {
      // Responder destroyed uncompleted → CALL_ERROR
    } else if (name == "hold") {
      held.push_back(std::move(r.responder));
    } else if (r.args.size() >= 2 && r.args[0].is_none() && r.args[1] == Entity("methods")) {
      r.responder.result(Entity(Tuple{Entity("add"), Entity("fail")}));
    } else {
      r.responder.failure(Errc::call_error);
    }
  }
  std::vector<Responder> held;

  void SetUp() override {
    LinkConfig b_cfg;
    b_cfg.gateway = gw;
    p = std::make_unique<CorePair>(LinkConfig{}, b_cfg);
    p->start();
    p->pump();
    ASSERT_TRUE(p->a.events.gateway);
  }

  std::optional<CallOutcome> call(Tuple args, CallMode mode = CallMode::normal) {
    std::optional<CallOutcome> got;
    p->a.core->call(p->a.events.gateway, std::move(args), mode,
                    [&](CallOutcome o) { got = std::move(o); });
    p->pump();
    return got;
  }
  // Messages b wrote after the handshake.
  std::vector<Entity> b_messages() {
    auto all = p->entities_from(p->b);
    return {all.begin() + 6, all.end()};
  }
};

TEST_F(CallFixture, NormalCallResult) {
  auto got = call(Tuple{Entity("add"), Entity(2), Entity(3)});
  ASSERT_TRUE(got && got->is_result());
  EXPECT_EQ(got->value(), Entity(5));
  auto msgs = b_messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0], vej(R"([{"int":"5"},{"int":"4"},[{"int":"5"},{"int":"5"}]])"));
  auto a_msgs = p->entities_from(p->a);
  EXPECT_EQ(a_msgs.back(),
            vej(R"([{"int":"5"},{"int":"1"},[{"remote":"2"},[{"str":"add"},{"int":"2"},{"int":"3"}]]])"));
  EXPECT_EQ(p->a.core->stats().pending_outgoing_calls, 0u);
}

TEST_F(CallFixture, VoidResultForcesNull) {
  auto got = call(Tuple{Entity("add"), Entity(1), Entity(1)}, CallMode::void_result);
  ASSERT_TRUE(got && got->is_result());
  EXPECT_TRUE(got->value().is_none());
  EXPECT_EQ(seen_modes.back(), CallMode::void_result);
  EXPECT_EQ(b_messages().at(0), vej(R"([{"int":"5"},{"int":"4"},[{"int":"5"},null]])"));
  EXPECT_EQ(code_of(p->entities_from(p->a).back()), 2);
}

TEST_F(CallFixture, VoidResultStillReportsExceptions) {
  auto got = call(Tuple{Entity("fail")}, CallMode::void_result);
  ASSERT_TRUE(got && got->is_exception());
}

TEST_F(CallFixture, NoReturnGetsNothingBackEvenOnError) {
  auto got = call(Tuple{Entity("error")}, CallMode::no_return);
  ASSERT_TRUE(got && got->is_result());  // completes locally once sent
  EXPECT_EQ(seen_modes.back(), CallMode::no_return);
  EXPECT_TRUE(b_messages().empty());
  got = call(Tuple{Entity("add"), Entity(1), Entity(2)}, CallMode::no_return);
  EXPECT_TRUE(b_messages().empty());
  EXPECT_EQ(code_of(p->entities_from(p->a).back()), 3);
  // ids stay consecutive through no-return calls (§5.1)
  EXPECT_EQ(id_of(p->entities_from(p->a).back()), 6);
}

TEST_F(CallFixture, ExceptionEntityBecomesCallException) {
  auto got = call(Tuple{Entity("fail")});
  ASSERT_TRUE(got && got->is_exception());
  EXPECT_EQ(got->value(), Entity(Exception{Tuple{Entity("bad"), Entity(7)}}));
  EXPECT_EQ(to_hex(encode_raw(b_messages().at(0))), "f6030606f60206f702f40308626164");
}

TEST_F(CallFixture, AnyEntityMayBeRaised) {
  auto got = call(Tuple{Entity("value_exception")});
  ASSERT_TRUE(got && got->is_exception());
  EXPECT_EQ(got->value(), Entity(5));
}

TEST_F(CallFixture, ErrorBecomesBareCallError) {
  auto got = call(Tuple{Entity("error")});
  ASSERT_TRUE(got && got->is_error());
  EXPECT_EQ(got->error(), make_error_code(Errc::call_error));
  EXPECT_EQ(b_messages().at(0), vej(R"([{"int":"5"},{"int":"6"},{"int":"5"}])"));
}

TEST_F(CallFixture, DroppedResponderAnswersCallError) {
  auto got = call(Tuple{Entity("drop")});
  ASSERT_TRUE(got && got->is_error());
  EXPECT_EQ(got->error(), make_error_code(Errc::call_error));
}

TEST_F(CallFixture, MetaCallIsRoutedToTarget) {
  auto got = call(Tuple{Entity(), Entity("methods")});
  ASSERT_TRUE(got && got->is_result());
  EXPECT_EQ(got->value(), Entity(Tuple{Entity("add"), Entity("fail")}));
  EXPECT_TRUE(seen_args.back()[0].is_none());
}

TEST_F(CallFixture, RepliesMayComeOutOfOrder) {
  std::optional<CallOutcome> first, second;
  p->a.core->call(p->a.events.gateway, Tuple{Entity("hold")}, CallMode::normal,
                  [&](CallOutcome o) { first = std::move(o); });
  p->a.core->call(p->a.events.gateway, Tuple{Entity("hold")}, CallMode::normal,
                  [&](CallOutcome o) { second = std::move(o); });
  p->pump();
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(p->b.core->stats().pending_incoming_calls, 2u);
  held[1].result(Entity("two"));
  p->pump();
  EXPECT_FALSE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->value(), Entity("two"));
  held[0].result(Entity("one"));
  p->pump();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->value(), Entity("one"));
  EXPECT_EQ(p->b.core->stats().pending_incoming_calls, 0u);
}

TEST_F(CallFixture, ResponderCompletedFromAnotherThread) {
  p->a.core->call(p->a.events.gateway, Tuple{Entity("hold")}, CallMode::normal, {});
  p->pump();
  ASSERT_EQ(held.size(), 1u);
  std::thread t([r = std::move(held[0])]() mutable { r.result(Entity(1)); });
  t.join();
  p->pump();
  EXPECT_EQ(b_messages().size(), 1u);
}

TEST_F(CallFixture, ObjectWithoutCallTargetAnswersCallError) {
  // a's gateway is the default plain Object: b's calls (meta too) get CALL_ERROR.
  for (auto args : {Tuple{Entity("x")}, Tuple{Entity(), Entity("methods")}}) {
    std::optional<CallOutcome> got;
    p->b.core->call(p->b.events.gateway, args, CallMode::normal,
                    [&](CallOutcome o) { got = std::move(o); });
    p->pump();
    ASSERT_TRUE(got && got->is_error());
  }
  auto before = p->entities_from(p->a).size();
  p->b.core->call(p->b.events.gateway, Tuple{Entity("x")}, CallMode::no_return, {});
  p->pump();
  EXPECT_EQ(p->entities_from(p->a).size(), before);
}

TEST_F(CallFixture, ReferencesAsArgumentsCanBeCalledBack) {
  auto callback = std::make_shared<FnTarget>([](CallRequest& r) { r.responder.result(Entity("cb")); });
  std::shared_ptr<PeerObject> received;
  // "hold" keeps b's responder; b gets a PeerObject for a's callback in the arguments.
  p->a.core->call(p->a.events.gateway, Tuple{Entity("hold"), Entity(std::static_pointer_cast<Object>(callback)),
                                             Entity(std::static_pointer_cast<Object>(callback))},
                  CallMode::normal, {});
  p->pump();
  ASSERT_EQ(seen_args.size(), 1u);
  received = seen_args[0][1].get<ObjectRef>().as<PeerObject>();
  ASSERT_TRUE(received);
  EXPECT_EQ(received, seen_args[0][2].get<ObjectRef>().as<PeerObject>());  // same handle
  EXPECT_EQ(received->id(), 3u);  // a's third object (hs 1, gateway 2)
  // The same object twice: the last message carries {"local":"3"} twice (send_count 2).
  EXPECT_EQ(p->entities_from(p->a).back(),
            vej(R"([{"int":"5"},{"int":"1"},[{"remote":"2"},[{"str":"hold"},{"local":"3"},{"local":"3"}]]])"));
  std::optional<CallOutcome> got;
  p->b.core->call(received, Tuple{Entity("ping")}, CallMode::normal,
                  [&](CallOutcome o) { got = std::move(o); });
  p->pump();
  ASSERT_TRUE(got && got->is_result());
  EXPECT_EQ(got->value(), Entity("cb"));
  EXPECT_EQ(callback->calls, 1);
  // Releasing it sends NOTIFY [3, 2] (every occurrence counts, §13 note 13) and a confirms.
  seen_args.clear();
  received.reset();
  p->pump();
  auto b_all = p->entities_from(p->b);
  EXPECT_EQ(b_all.back(), vej(R"([{"int":"6"},{"int":"7"},[{"int":"3"},{"int":"2"}]])"));
  EXPECT_EQ(code_of(p->entities_from(p->a).back()), 8);
  EXPECT_EQ(p->a.core->stats().local_objects, 1u);
}

TEST_F(CallFixture, PeerObjectOfAnotherLinkIsAWrongTarget) {
  CorePair other;
  other.start();
  other.pump();
  std::optional<CallOutcome> got;
  auto id = p->a.core->call(other.a.events.gateway, Tuple{Entity("x")}, CallMode::normal,
                            [&](CallOutcome o) { got = std::move(o); });
  EXPECT_EQ(id, 0u);
  ASSERT_TRUE(got && got->is_error());
  EXPECT_EQ(got->error(), make_error_code(Errc::wrong_link));
}

TEST_F(CallFixture, PeerObjectOfAnotherLinkTravelsAsLocalObject) {
  CorePair other;
  other.start();
  other.pump();
  p->a.core->call(p->a.events.gateway, Tuple{Entity("hold"), Entity(std::static_pointer_cast<Object>(other.a.events.gateway))},
                  CallMode::normal, {});
  p->pump();
  EXPECT_EQ(p->entities_from(p->a).back(),
            vej(R"([{"int":"5"},{"int":"1"},[{"remote":"2"},[{"str":"hold"},{"local":"3"}]]])"));
}

TEST_F(CallFixture, ReplyForUnknownCallIsIgnored) {
  for (const char* m : {R"([{"int":"5"},{"int":"4"},[{"int":"99"},null]])",
                        R"([{"int":"6"},{"int":"5"},[{"int":"98"},null]])",
                        R"([{"int":"7"},{"int":"6"},{"int":"-3"}])"}) {
    p->a.core->receive(encode_raw(vej(m)));
  }
  EXPECT_EQ(p->a.core->status(), LinkStatus::running);
  EXPECT_EQ(p->a.core->stats().ignored_replies, 3u);
}

TEST_F(CallFixture, CallsAfterCloseFailImmediately) {
  p->a.core->shutdown(true);
  std::optional<CallOutcome> got;
  EXPECT_EQ(p->a.core->call(p->a.events.gateway, Tuple{Entity("x")}, CallMode::normal,
                            [&](CallOutcome o) { got = std::move(o); }),
            0u);
  ASSERT_TRUE(got && got->is_error());
  EXPECT_EQ(got->error(), make_error_code(Errc::link_aborted));
}

}  // namespace
}  // namespace versile::link::test

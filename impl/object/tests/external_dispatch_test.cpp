// External's dispatch (link.md §6.1, §6.4) driven directly through handle_call, without a link.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "call_recorder.hpp"
#include "link/link_error.hpp"
#include "object/dispatch_error.hpp"
#include "object/external.hpp"
#include "object/plain_gateway.hpp"

namespace versile {
namespace {

using link::CallOutcome;
using testing::CallRecorder;

Integer big(const char* decimal) { return *Integer::from_decimal(decimal); }

void expect_result(const CallOutcome& outcome, const Entity& expected) {
  ASSERT_TRUE(outcome.is_result()) << "kind " << static_cast<int>(outcome.kind()) << " error "
                                   << outcome.error().message();
  EXPECT_EQ(outcome.value(), expected) << to_display_string(outcome.value());
}

void expect_error(const CallOutcome& outcome, DispatchErrc why) {
  ASSERT_TRUE(outcome.is_error()) << "got " << to_display_string(outcome.value());
  EXPECT_EQ(outcome.error(), make_error_code(why)) << outcome.error().message();
}

// A class using every supported parameter and result type.
class Everything : public External {
 public:
  Everything() : External("class doc") {
    publish("i8", &Everything::i8);
    publish("u8", &Everything::u8);
    publish("i32", &Everything::i32);
    publish("u64", &Everything::u64);
    publish("i64", &Everything::i64);
    publish("integer", &Everything::integer);
    publish("real", &Everything::real);
    publish("flag", &Everything::flag);
    publish("text", &Everything::text);
    publish("text_ref", &Everything::text_ref);
    publish("bytes", &Everything::bytes);
    publish("entity", &Everything::entity);
    publish("list", &Everything::list);
    publish("pair", &Everything::pair);
    publish("maybe", &Everything::maybe);
    publish("object", &Everything::object);
    publish("nothing", &Everything::nothing);
    publish("none_result", &Everything::none_result);
    publish("const_method", &Everything::const_method, {.doc = "a const method", .show = true});
    publish("hidden", &Everything::hidden, {.doc = std::nullopt, .show = false});
    publish("five", &Everything::five);
  }

  std::int8_t i8(std::int8_t v) { return v; }
  std::uint8_t u8(std::uint8_t v) { return v; }
  int i32(int a, int b) { return a * b; }
  std::uint64_t u64(std::uint64_t v) { return v; }
  std::int64_t i64(std::int64_t v) { return v; }
  Integer integer(Integer v) { return Integer(v.to_big() * 2); }
  double real(double v) { return v / 2; }
  bool flag(bool v) { return !v; }
  std::string text(std::string s) { return s + "!"; }
  std::string text_ref(const std::string& s) { return s + "?"; }
  Bytes bytes(Bytes b) { return b.slice(1); }
  Entity entity(Entity e) { return Tuple{e, e}; }
  std::vector<std::int64_t> list(std::vector<std::int64_t> v) {
    v.push_back(static_cast<std::int64_t>(v.size()));
    return v;
  }
  std::tuple<std::string, int> pair(std::tuple<int, std::string> p) {
    return {std::get<1>(p), std::get<0>(p)};
  }
  std::optional<std::string> maybe(std::optional<std::string> s) {
    return s ? std::optional<std::string>(*s + *s) : std::nullopt;
  }
  std::shared_ptr<Everything> object(std::shared_ptr<Everything> other) { return other; }
  void nothing() { ++nothing_calls; }
  Entity none_result() { return Entity{}; }
  std::string const_method() const { return "const"; }
  int hidden() { return 1; }
  int five(int a, int b, int c, int d, int e) { return a + b + c + d + e; }

  std::atomic<int> nothing_calls{0};
};

class ExternalDispatch : public ::testing::Test {
 protected:
  CallOutcome call(Tuple args, link::CallMode mode = link::CallMode::normal) {
    return recorder->call(*object, std::move(args), mode);
  }
  std::shared_ptr<CallRecorder> recorder = CallRecorder::create();
  std::shared_ptr<Everything> object = std::make_shared<Everything>();
};

TEST_F(ExternalDispatch, ConvertsIntegersOfEverySize) {
  expect_result(call({"i8", -128}), Entity(-128));
  expect_result(call({"u8", 255}), Entity(255));
  expect_result(call({"i32", 6, -7}), Entity(-42));
  expect_result(call({"u64", Integer(std::numeric_limits<std::uint64_t>::max())}),
                Entity(Integer(std::numeric_limits<std::uint64_t>::max())));
  expect_result(call({"i64", std::numeric_limits<std::int64_t>::min()}),
                Entity(std::numeric_limits<std::int64_t>::min()));
  expect_result(call({"integer", big("123456789012345678901234567890")}),
                Entity(big("246913578024691357802469135780")));
  expect_result(call({"five", 1, 2, 3, 4, 5}), Entity(15));
}

TEST_F(ExternalDispatch, IntegerOutOfRangeIsBadArgument) {
  expect_error(call({"i8", 128}), DispatchErrc::bad_argument);
  expect_error(call({"u8", -1}), DispatchErrc::bad_argument);
  expect_error(call({"u64", -1}), DispatchErrc::bad_argument);
  expect_error(call({"i64", big("9223372036854775808")}), DispatchErrc::bad_argument);
}

TEST_F(ExternalDispatch, ConvertsScalarsTextAndBytes) {
  expect_result(call({"real", 5.0}), Entity(2.5));
  expect_result(call({"real", 3}), Entity(1.5));  // integers are accepted where doubles are
  expect_result(call({"flag", true}), Entity(false));
  expect_result(call({"text", "hi"}), Entity("hi!"));
  expect_result(call({"text_ref", "hi"}), Entity("hi?"));
  expect_result(call({"bytes", Bytes(std::string_view("abc"))}), Entity(Bytes(std::string_view("bc"))));
}

TEST_F(ExternalDispatch, ConvertsEntitiesAndContainers) {
  const Entity tagged = Tagged(Entity(1), {Entity("t")});
  expect_result(call({"entity", tagged}), Entity(Tuple{tagged, tagged}));
  expect_result(call({"list", Tuple{10, 20}}), Entity(Tuple{10, 20, 2}));
  expect_result(call({"list", Tuple{}}), Entity(Tuple{0}));
  expect_result(call({"pair", Tuple{7, "seven"}}), Entity(Tuple{"seven", 7}));
  expect_result(call({"maybe", "ab"}), Entity("abab"));
  expect_result(call({"maybe", Entity{}}), Entity{});
}

TEST_F(ExternalDispatch, ContainerElementOfWrongTypeIsBadArgument) {
  expect_error(call({"list", Tuple{1, "two"}}), DispatchErrc::bad_argument);
  expect_error(call({"pair", Tuple{7}}), DispatchErrc::bad_argument);
  expect_error(call({"maybe", 5}), DispatchErrc::bad_argument);
}

TEST_F(ExternalDispatch, ObjectsPassAsReferences) {
  auto other = std::make_shared<Everything>();
  const CallOutcome outcome = call({"object", Entity(std::shared_ptr<Object>(other))});
  ASSERT_TRUE(outcome.is_result());
  EXPECT_EQ(outcome.value().get<ObjectRef>().as<Everything>(), other);
  // None is the null pointer, both ways.
  expect_result(call({"object", Entity{}}), Entity{});
  // A reference to an object of another class does not fit.
  expect_error(call({"object", Entity(std::shared_ptr<Object>(make_plain_gateway()))}),
               DispatchErrc::bad_argument);
}

TEST_F(ExternalDispatch, VoidResultIsNull) {
  expect_result(call({"nothing"}), Entity{});
  expect_result(call({"none_result"}), Entity{});
  EXPECT_EQ(object->nothing_calls, 1);
  expect_result(call({"const_method"}), Entity("const"));
}

TEST_F(ExternalDispatch, WrongArityIsCallError) {
  expect_error(call({"i32", 1}), DispatchErrc::wrong_arity);
  expect_error(call({"i32", 1, 2, 3}), DispatchErrc::wrong_arity);
  expect_error(call({"nothing", 1}), DispatchErrc::wrong_arity);
  // Also for the void-result mode (verified against the reference for codes 1 and 2).
  expect_error(call({"i32", 1}, link::CallMode::void_result), DispatchErrc::wrong_arity);
}

TEST_F(ExternalDispatch, WrongArgumentTypeIsCallError) {
  expect_error(call({"i32", "1", 2}), DispatchErrc::bad_argument);
  expect_error(call({"text", 5}), DispatchErrc::bad_argument);
  expect_error(call({"bytes", "abc"}), DispatchErrc::bad_argument);
  expect_error(call({"flag", 1}), DispatchErrc::bad_argument);
  expect_error(call({"real", "x"}), DispatchErrc::bad_argument);
}

TEST_F(ExternalDispatch, UnknownOrMalformedMethodNamesAreCallErrors) {
  expect_error(call({"nosuch"}), DispatchErrc::not_published);
  expect_error(call({"I32", 1, 2}), DispatchErrc::not_published);  // case-sensitive
  expect_error(call(Tuple{}), DispatchErrc::no_arguments);
  expect_error(call({Bytes(std::string_view("i8")), 1}), DispatchErrc::bad_method_name);
  expect_error(call({5}), DispatchErrc::bad_method_name);
}

TEST_F(ExternalDispatch, MetaMethodsListsShownNamesSorted) {
  const CallOutcome outcome = call({Entity{}, "methods"});
  ASSERT_TRUE(outcome.is_result());
  std::vector<std::string> names;
  for (const Entity& n : outcome.value().as_tuple()) names.push_back(n.as_string());
  const std::vector<std::string> expected{
      "bytes", "const_method", "entity", "five", "flag", "i32", "i64", "i8", "integer", "list",
      "maybe", "none_result", "nothing", "object", "pair", "real", "text", "text_ref", "u64", "u8"};
  EXPECT_EQ(names, expected);  // "hidden" is not shown ...
  expect_result(call({"hidden"}), Entity(1));  // ... but callable
  EXPECT_EQ(object->published_names(), expected);
  expect_error(call({Entity{}, "methods", 1}), DispatchErrc::bad_meta_call);
}

TEST_F(ExternalDispatch, MetaDoc) {
  expect_result(call({Entity{}, "doc"}), Entity("class doc"));
  expect_result(call({Entity{}, "doc", "const_method"}), Entity("a const method"));
  expect_result(call({Entity{}, "doc", "i8"}), Entity{});
  // Unknown name: the reference's CALL_EXCEPTION (Py, link.md §14.1).
  const CallOutcome unknown = call({Entity{}, "doc", "nosuch"});
  ASSERT_TRUE(unknown.is_exception());
  EXPECT_EQ(unknown.value(), Entity(Exception{Tuple{"Not an exposed method"}}));
  expect_error(call({Entity{}, "doc", 5}), DispatchErrc::bad_meta_call);
  expect_error(call({Entity{}, "doc", "i8", "i32"}), DispatchErrc::bad_meta_call);
  auto undocumented = std::make_shared<External>();
  expect_result(recorder->call(*undocumented, {Entity{}, "doc"}), Entity{});
}

TEST_F(ExternalDispatch, UnknownOrMalformedMetaCallsAreCallErrors) {
  expect_error(call({Entity{}, "nometa"}), DispatchErrc::unknown_meta);
  expect_error(call({Entity{}}), DispatchErrc::bad_meta_call);
  expect_error(call({Entity{}, 5}), DispatchErrc::bad_meta_call);
  expect_error(call({Entity{}, Bytes(std::string_view("methods"))}), DispatchErrc::bad_meta_call);
}

TEST(ExternalExceptions, VExceptionBecomesCallException) {
  auto object = std::make_shared<External>();
  object->publish("fail", [](std::string message, int code) -> int {
    throw VException(message, code);
  });
  object->publish("fail_none", []() -> void { throw VException(); });
  object->publish("fail_value", []() -> void { throw VException::with_value(Entity(42)); });
  object->publish("native", [](int x) -> int {
    if (x == 0) throw std::runtime_error("division by zero");
    return 10 / x;
  });
  object->publish("native_type_error", []() -> int {
    return Entity("not an int").as<int>();  // a type error inside the method body
  });
  auto recorder = CallRecorder::create();

  const CallOutcome failed = recorder->call(*object, {"fail", "bad", 7});
  ASSERT_TRUE(failed.is_exception());
  EXPECT_EQ(failed.value(), Entity(Exception{Tuple{"bad", 7}}));
  const CallOutcome none = recorder->call(*object, {"fail_none"});
  ASSERT_TRUE(none.is_exception());
  EXPECT_EQ(none.value(), Entity(Exception{}));
  const CallOutcome value = recorder->call(*object, {"fail_value"});
  ASSERT_TRUE(value.is_exception());
  EXPECT_EQ(value.value(), Entity(42));
  expect_result(recorder->call(*object, {"native", 5}), Entity(2));
  expect_error(recorder->call(*object, {"native", 0}), DispatchErrc::method_failed);
  expect_error(recorder->call(*object, {"native_type_error"}), DispatchErrc::method_failed);
  // The outcome is reported the same way for the void-result mode (the link nulls results).
  const CallOutcome void_mode = recorder->call(*object, {"fail", "x", 1}, link::CallMode::void_result);
  EXPECT_TRUE(void_mode.is_exception());
}

TEST(ExternalExceptions, UnconvertibleResultIsCallError) {
  auto object = std::make_shared<External>();
  object->publish("bad_text", []() -> std::string { return std::string("\xff\xfe"); });
  auto recorder = CallRecorder::create();
  expect_error(recorder->call(*object, {"bad_text"}), DispatchErrc::bad_result);
}

TEST(ExternalExceptions, VExceptionDescribesItself) {
  EXPECT_STREQ(VException("boom").what(), "boom");
  EXPECT_EQ(VException("bad", 7).value(), Entity(Exception{Tuple{"bad", 7}}));
  const VException copy = VException(Exception{Tuple{1}});
  const VException again(copy);  // copying does not wrap the exception
  EXPECT_EQ(again.value(), Entity(Exception{Tuple{1}}));
}

TEST(ExternalPublish, LambdasStdFunctionAndFunctionPointers) {
  auto object = std::make_shared<External>();
  object->publish("lambda", [](std::int64_t a, std::int64_t b) { return a - b; });
  std::function<std::string(std::string)> upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  object->publish("function", upper);
  object->publish("pointer", +[](int x) { return x * x; });
  auto recorder = CallRecorder::create();
  expect_result(recorder->call(*object, {"lambda", 10, 3}), Entity(7));
  expect_result(recorder->call(*object, {"function", "abc"}), Entity("ABC"));
  expect_result(recorder->call(*object, {"pointer", 9}), Entity(81));
}

TEST(ExternalPublish, DuplicateNamesAreRejectedAndUnpublishWorks) {
  auto object = std::make_shared<External>();
  object->publish("m", [] { return 1; });
  EXPECT_THROW(object->publish("m", [] { return 2; }), std::invalid_argument);
  EXPECT_THROW(object->publish(std::string("\xff"), [] { return 2; }), std::invalid_argument);
  auto recorder = CallRecorder::create();
  expect_result(recorder->call(*object, {"m"}), Entity(1));
  EXPECT_TRUE(object->unpublish("m"));
  EXPECT_FALSE(object->unpublish("m"));
  expect_error(recorder->call(*object, {"m"}), DispatchErrc::not_published);
  object->publish("m", [] { return 2; });
  expect_result(recorder->call(*object, {"m"}), Entity(2));
}

TEST(ExternalPublish, DeferredMethodAnswersLaterFromAnotherThread) {
  auto object = std::make_shared<External>();
  std::vector<std::thread> threads;
  object->publish_deferred("later", [&threads](DeferredCall& call) {
    ASSERT_EQ(call.args.size(), 1u);
    const std::int64_t x = call.args[0].as_int64();
    threads.emplace_back([responder = std::move(call.responder), x]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      responder.result(Entity(x + 1));
    });
  });
  object->publish_deferred("raise", [](DeferredCall&) { throw VException("deferred"); });
  object->publish_deferred("drop", [](DeferredCall& call) {
    link::Responder dropped = std::move(call.responder);  // destroyed unanswered
  });
  object->publish_deferred("type_error", [](DeferredCall& call) {
    (void)call.args.at(0).as_string();
  });
  auto recorder = CallRecorder::create();
  const std::uint64_t id = recorder->dispatch(*object, {"later", 41});
  EXPECT_FALSE(recorder->peek(id).has_value());  // not answered yet
  auto outcome = recorder->wait(id, std::chrono::seconds(10));
  ASSERT_TRUE(outcome.has_value());
  expect_result(*outcome, Entity(42));
  for (auto& t : threads) t.join();
  EXPECT_EQ(recorder->completions(id), 1);

  const CallOutcome raised = recorder->call(*object, {"raise"});
  ASSERT_TRUE(raised.is_exception());
  EXPECT_EQ(raised.value(), Entity(Exception{Tuple{"deferred"}}));
  const CallOutcome dropped = recorder->call(*object, {"drop"});
  ASSERT_TRUE(dropped.is_error());
  EXPECT_EQ(dropped.error(), link::Errc::call_error);
  expect_error(recorder->call(*object, {"type_error", 1}), DispatchErrc::bad_argument);
}

TEST(ExternalPublish, RegistryIsThreadSafe) {
  auto object = std::make_shared<External>();
  object->publish("base", [] { return 0; });
  auto recorder = CallRecorder::create();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread caller([&] {
    while (!stop) {
      const CallOutcome outcome = recorder->call(*object, {"base"});
      if (!outcome.is_result() || outcome.value() != Entity(0)) ++failures;
    }
  });
  for (int i = 0; i < 200; ++i) {
    const std::string name = "m" + std::to_string(i);
    object->publish(name, [i] { return i; });
    const CallOutcome outcome = recorder->call(*object, {Entity(name)});
    if (!outcome.is_result() || outcome.value() != Entity(i)) ++failures;
    if (i % 2 == 0) object->unpublish(name);
  }
  stop = true;
  caller.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(object->published_names().size(), 101u);  // base + 100 odd ones
}

TEST(PlainGateway, AnswersEveryCallWithCallError) {
  auto gateway = make_plain_gateway();
  auto recorder = CallRecorder::create();
  for (const Tuple& args : {Tuple{"echo", 1}, Tuple{Entity{}, "methods"}, Tuple{}}) {
    expect_error(recorder->call(*gateway, args), DispatchErrc::not_callable);
  }
}

}  // namespace
}  // namespace versile

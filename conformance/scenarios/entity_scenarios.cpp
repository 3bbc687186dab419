// ENT-*: entity edge cases exercised over a live link — the value goes to the implementation
// under test through echo() and must come back identical (entities.md §5, §7, §14).
#include <functional>

#include "scenarios/session.hpp"
#include "scenarios/support.hpp"

namespace vpstream::conformance {
namespace {

using versile::Entity;

struct EntityCase {
  const char* id;
  const char* statement;
  const char* section;
  std::function<Entity()> make;
};

Entity nested(int depth) {
  Entity e = versile::Integer(depth);
  for (int i = 0; i < depth; ++i) e = Entity(versile::Tuple{e});
  return e;
}

versile::Integer pow_big(int base, int exp, bool negative = false) {
  versile::Integer::Big v = 1;
  for (int i = 0; i < exp; ++i) v *= base;
  if (negative) v = -v;
  return versile::Integer(v);
}

versile::Float flt(long long digits, long long base, long long exp) {
  return versile::Float{versile::Integer(digits), versile::Integer(base), versile::Integer(exp)};
}

std::vector<EntityCase> entity_cases() {
  return {
      {"ENT-INT-NETBYTES-EDGES", "integers at every netbytes length boundary round-trip", "entities.md §3, §5.1",
       [] {
         std::vector<Entity> v;
         for (long long x : std::initializer_list<long long>{0LL, 1LL, -1LL, 238LL, 239LL, -240LL, -241LL, 255LL, 256LL, 65535LL, 65536LL,
                             2147483647LL, 2147483648LL, -2147483648LL, INT64_MAX, INT64_MIN}) {
           v.emplace_back(x);
         }
         return Entity(versile::Tuple(std::move(v)));
       }},
      {"ENT-INT-HUGE-POSITIVE", "2^4000 round-trips exactly", "entities.md §5.1", [] { return Entity(pow_big(2, 4000)); }},
      {"ENT-INT-HUGE-NEGATIVE", "-10^300 round-trips exactly", "entities.md §5.1",
       [] { return Entity(pow_big(10, 300, true)); }},
      {"ENT-INT-UINT64-EDGE", "2^64 and -(2^63)-1 round-trip (just outside the int64 fast path)", "entities.md §5.1",
       [] { return Entity(versile::Tuple{Entity(pow_big(2, 64)), Entity(versile::Integer(versile::Integer::Big(INT64_MIN) - 1))}); }},
      {"ENT-FLOAT-BASE2", "base-2 floats keep their exact triple (2.5 as 20*2^-3, not normalised)", "entities.md §5.3",
       [] { return Entity(versile::Tuple{Entity(flt(20, 2, -3)), Entity(flt(5, 2, -1)), Entity(flt(-1, 2, -7))}); }},
      {"ENT-FLOAT-BASE10", "base-10 floats (Decimal 3.14 as 314*10^-2) round-trip", "entities.md §5.3",
       [] { return Entity(flt(314, 10, -2)); }},
      {"ENT-FLOAT-ODD-BASE", "floats of odd bases (42*7^-5, 3*3^40) keep base and exponent", "entities.md §5.3",
       [] { return Entity(versile::Tuple{Entity(flt(42, 7, -5)), Entity(flt(3, 3, 40)), Entity(flt(-9, 251, 3))}); }},
      {"ENT-FLOAT-HUGE-PARTS", "float with 100-digit mantissa and exponent 10^6 round-trips", "entities.md §5.3",
       [] { return Entity(versile::Float{pow_big(10, 100), versile::Integer(2), versile::Integer(1000000)}); }},
      {"ENT-FLOAT-ZERO", "zero floats (0*2^0, 0*10^5) keep their triple", "entities.md §5.3",
       [] { return Entity(versile::Tuple{Entity(flt(0, 2, 0)), Entity(flt(0, 10, 5))}); }},
      {"ENT-STR-NONASCII", "Latin-1, CJK and RTL text round-trips", "entities.md §5.5",
       [] { return Entity(std::string("h\xc3\xa9llo \xe4\xb8\xad\xe6\x96\x87 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d")); }},
      {"ENT-STR-ASTRAL", "astral-plane characters (emoji, U+10FFFF) round-trip", "entities.md §5.5",
       [] { return Entity(std::string("\xf0\x9f\x98\x80 \xf0\x9d\x84\x9e \xf4\x8f\xbf\xbf")); }},
      {"ENT-STR-UTF16-EXPLICIT", "a string sent with explicit utf16 codec (f5) arrives as the same text", "entities.md §5.5",
       [] { return Entity(versile::String(std::string("\xf0\x9f\x98\x80 utf16"), versile::StringCodec::utf16)); }},
      {"ENT-STR-EMPTY-AND-NUL", "the empty string and a string with an embedded NUL round-trip", "entities.md §5.5",
       [] { return Entity(versile::Tuple{Entity(std::string()), Entity(std::string("a\0b", 3))}); }},
      {"ENT-BYTES-BINARY", "empty, binary and 1 MiB byte strings round-trip", "entities.md §5.4",
       [] {
         std::vector<std::uint8_t> big(1 << 20);
         for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>((i * 31 + 7) % 251);
         return Entity(versile::Tuple{Entity(versile::Bytes()), Entity(versile::Bytes(std::string_view("\x00\x01\xfe\xff", 4))),
                                      Entity(versile::Bytes(std::move(big)))});
       }},
      {"ENT-TUPLE-DEEP", "a tuple nested 200 deep round-trips", "entities.md §8, link.md §10", [] { return nested(200); }},
      {"ENT-TUPLE-WIDE", "a tuple of 20000 elements round-trips", "entities.md §5.6",
       [] {
         std::vector<Entity> v;
         for (int i = 0; i < 20000; ++i) v.emplace_back(i);
         return Entity(versile::Tuple(std::move(v)));
       }},
      {"ENT-TUPLE-EMPTY-NESTED", "(), ((),), (((1,2),('x',)),) round-trip", "entities.md §5.6",
       [] {
         using versile::Tuple;
         return Entity(Tuple{Entity(Tuple{}), Entity(Tuple{Entity(Tuple{})}),
                             Entity(Tuple{Entity(Tuple{Entity(1), Entity(2)}), Entity(Tuple{Entity("x")})})});
       }},
      {"ENT-TAGGED", "tagged values with several tags (not VSE codes) round-trip", "entities.md §5.8, §10",
       [] {
         return Entity(versile::Tagged(Entity("value"), {Entity(1000), Entity("tag"), Entity(versile::Tuple{Entity(1)})}));
       }},
      {"ENT-TAGGED-NESTED", "a tagged value inside a tuple inside a tagged value round-trips", "entities.md §5.8",
       [] {
         Entity inner(versile::Tagged(Entity(versile::Bytes(std::string_view("ab"))), {Entity(7)}));
         return Entity(versile::Tagged(Entity(versile::Tuple{inner, Entity(true)}), {Entity(9), Entity(10)}));
       }},
      {"ENT-EXCEPTION-VALUE", "an exception entity as an ordinary value round-trips", "entities.md §5.7",
       [] { return Entity(versile::Exception{versile::Tuple{Entity("msg"), Entity(42)}}); }},
      {"ENT-NONE-BOOL", "None, True and False round-trip and stay distinct from integers", "entities.md §5.2",
       [] { return Entity(versile::Tuple{Entity(versile::None{}), Entity(true), Entity(false), Entity(0), Entity(1)}); }},
  };
}

}  // namespace

void add_entity_scenarios(Catalogue& c) {
  for (auto& ec : entity_cases()) {
    ScenarioSpec spec{ec.id, ec.statement, ec.section, Role::server};
    spec.tags = {"entity", "link"};
    auto make = ec.make;
    c.add(make_scenario(spec, [make](ScenarioContext& ctx) {
      const Entity value = make();
      auto session = Session::open(ctx);
      auto gw = session->gateway();
      session->step("echo(value)");
      Entity back;
      try {
        back = gw.call("echo", value);
      } catch (const std::exception& e) {
        abort_with(category_of(e), e.what());
      }
      require(back == value, "echo returned a different entity");
      session->close();
      return Observation::ok();
    }));
  }
}

}  // namespace vpstream::conformance

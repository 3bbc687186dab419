// EntityConverter specialisations for the basic C++ types (see entity.hpp). Used by
// Entity::as<T>() and by the object layer for published-method arguments and results.
// from_entity throws EntityTypeError when the entity's type or value does not fit T.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "entity/entity.hpp"

namespace versile {

// The double nearest to the exact value digits × base^exp (round half to even; ±infinity
// beyond the double range, a signed zero below it). Exact whenever Float::to_double() is.
double nearest_double(const Float& f);
// The double nearest to an integer (±infinity beyond the double range).
double nearest_double(const Integer& i);

template <>
struct EntityConverter<Entity> {
  static Entity from_entity(const Entity& e) { return e; }
  static Entity to_entity(const Entity& e) { return e; }
};

template <>
struct EntityConverter<None> {
  static None from_entity(const Entity& e) { return e.get<None>(); }
  static Entity to_entity(None) { return Entity(None{}); }
};

template <>
struct EntityConverter<bool> {
  static bool from_entity(const Entity& e) { return e.get<bool>(); }
  static Entity to_entity(bool v) { return Entity(v); }
};

namespace detail {
[[noreturn]] void throw_integer_range(const Integer& v, bool is_signed, std::size_t bits);
}  // namespace detail

// Every integral type except bool: range-checked.
template <std::integral T>
  requires(!std::same_as<T, bool>)
struct EntityConverter<T> {
  static T from_entity(const Entity& e) {
    const Integer& v = e.get<Integer>();
    if constexpr (std::is_signed_v<T>) {
      if (const auto s = v.to_int64()) {
        if (*s >= std::numeric_limits<T>::min() && *s <= std::numeric_limits<T>::max()) {
          return static_cast<T>(*s);
        }
      }
    } else {
      if (const auto u = v.to_uint64()) {
        if (*u <= std::numeric_limits<T>::max()) return static_cast<T>(*u);
      }
    }
    detail::throw_integer_range(v, std::is_signed_v<T>, sizeof(T) * 8);
  }
  static Entity to_entity(T v) { return Entity(Integer(v)); }
};

template <>
struct EntityConverter<Integer> {
  static Integer from_entity(const Entity& e) { return e.get<Integer>(); }
  static Entity to_entity(const Integer& v) { return Entity(v); }
};

template <>
struct EntityConverter<Float> {
  static Float from_entity(const Entity& e) { return e.get<Float>(); }
  static Entity to_entity(const Float& v) { return Entity(v); }
};

// From a Float (exactly when possible, else the nearest double) or an Integer (nearest).
// To: Float::from_double (throws EntityTypeError for infinity and NaN).
template <>
struct EntityConverter<double> {
  static double from_entity(const Entity& e) {
    if (const auto* f = e.get_if<Float>()) return nearest_double(*f);
    if (const auto* i = e.get_if<Integer>()) return nearest_double(*i);
    throw EntityTypeError("expected float or integer, got " + std::string(to_string(e.type())));
  }
  static Entity to_entity(double v) { return Entity(Float::from_double(v)); }
};

template <>
struct EntityConverter<std::string> {
  static std::string from_entity(const Entity& e) { return e.get<String>().str(); }
  static Entity to_entity(const std::string& v) { return Entity(String(v)); }
};

// Borrowed text: conversion to an entity only (an entity cannot lend out a view safely).
template <>
struct EntityConverter<std::string_view> {
  static Entity to_entity(std::string_view v) { return Entity(String(std::string(v))); }
};

template <>
struct EntityConverter<const char*> {
  static Entity to_entity(const char* v) { return Entity(String(std::string(v))); }
};

template <>
struct EntityConverter<String> {
  static String from_entity(const Entity& e) { return e.get<String>(); }
  static Entity to_entity(const String& v) { return Entity(v); }
};

template <>
struct EntityConverter<Bytes> {
  static Bytes from_entity(const Entity& e) { return e.get<Bytes>(); }
  static Entity to_entity(const Bytes& v) { return Entity(v); }
};

template <>
struct EntityConverter<std::vector<std::uint8_t>> {
  static std::vector<std::uint8_t> from_entity(const Entity& e) {
    const auto s = e.get<Bytes>().span();
    return {s.begin(), s.end()};
  }
  static Entity to_entity(const std::vector<std::uint8_t>& v) { return Entity(Bytes(std::span(v))); }
};

template <>
struct EntityConverter<Tuple> {
  static Tuple from_entity(const Entity& e) { return e.get<Tuple>(); }
  static Entity to_entity(const Tuple& v) { return Entity(v); }
};

template <>
struct EntityConverter<Exception> {
  static Exception from_entity(const Entity& e) { return e.get<Exception>(); }
  static Entity to_entity(const Exception& v) { return Entity(v); }
};

template <>
struct EntityConverter<Tagged> {
  static Tagged from_entity(const Entity& e) { return e.get<Tagged>(); }
  static Entity to_entity(const Tagged& v) { return Entity(v); }
};

template <>
struct EntityConverter<ObjectRef> {
  static ObjectRef from_entity(const Entity& e) { return e.get<ObjectRef>(); }
  static Entity to_entity(const ObjectRef& v) { return Entity(v); }
};

// A live object of (a subclass of) T. Raw references and objects of another class do not fit.
// Higher layers may specialise particular pointer types (e.g. stream proxies) more precisely.
template <class T>
  requires std::derived_from<T, Object>
struct EntityConverter<std::shared_ptr<T>> {
  static std::shared_ptr<T> from_entity(const Entity& e) {
    const auto& ref = e.get<ObjectRef>();
    if (ref.is_raw()) throw EntityTypeError("expected a live object, got a raw object reference");
    auto p = ref.template as<T>();
    if (!p) throw EntityTypeError("object reference is not of the expected class");
    return p;
  }
  static Entity to_entity(const std::shared_ptr<T>& v) {
    return Entity(ObjectRef(std::static_pointer_cast<Object>(v)));
  }
};

template <class T>
struct EntityConverter<std::optional<T>> {
  static std::optional<T> from_entity(const Entity& e) {
    if (e.is_none()) return std::nullopt;
    return EntityConverter<T>::from_entity(e);
  }
  static Entity to_entity(const std::optional<T>& v) {
    if (!v) return Entity(None{});
    return EntityConverter<T>::to_entity(*v);
  }
};

// A tuple of any length with every element converted to T.
template <class T>
struct EntityConverter<std::vector<T>> {
  static std::vector<T> from_entity(const Entity& e) {
    const Tuple& t = e.get<Tuple>();
    std::vector<T> out;
    out.reserve(t.size());
    for (const auto& item : t) out.push_back(EntityConverter<T>::from_entity(item));
    return out;
  }
  static Entity to_entity(const std::vector<T>& v) {
    std::vector<Entity> items;
    items.reserve(v.size());
    for (const auto& item : v) items.push_back(EntityConverter<T>::to_entity(item));
    return Entity(Tuple(std::move(items)));
  }
};

// A tuple of exactly sizeof...(Ts) elements, each converted to its own type.
template <class... Ts>
struct EntityConverter<std::tuple<Ts...>> {
  static std::tuple<Ts...> from_entity(const Entity& e) {
    const Tuple& t = e.get<Tuple>();
    if (t.size() != sizeof...(Ts)) {
      throw EntityTypeError("expected a tuple of " + std::to_string(sizeof...(Ts)) +
                            " elements, got " + std::to_string(t.size()));
    }
    return [&t]<std::size_t... I>(std::index_sequence<I...>) {
      return std::tuple<Ts...>(EntityConverter<Ts>::from_entity(t[I])...);
    }(std::index_sequence_for<Ts...>{});
  }
  static Entity to_entity(const std::tuple<Ts...>& v) {
    return std::apply(
        [](const Ts&... items) {
          return Entity(Tuple(std::vector<Entity>{EntityConverter<Ts>::to_entity(items)...}));
        },
        v);
  }
};

// Convenience: EntityConverter<T>::to_entity with T deduced (const char[N] → const char*).
template <class T>
Entity to_entity(const T& v) {
  using U = std::conditional_t<std::is_array_v<T>, const char*, T>;
  return EntityConverter<U>::to_entity(v);
}

}  // namespace versile

// How C++ values become call arguments/results and back (link.md §6.5). One rule set for both
// directions of a call, so a value a proxy sends is read back by a published method the same way:
//   Entity                       as it is
//   shared_ptr<T>, T an Object   an object reference (a null pointer is None)
//   T with EntityConverter<T>    EntityConverter<T>::to_entity / from_entity
//   anything Entity accepts      Entity's own constructors (string literals, Integer, Tuple, ...)
//   alternatives of Entity       Entity::get<T>() when no converter exists (Integer, Tuple, ...)
#pragma once

#include <concepts>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

#include "entity/convert.hpp"
#include "entity/entity.hpp"

namespace versile {

namespace conversion_detail {

template <class T>
struct is_object_pointer : std::false_type {};
template <class T>
struct is_object_pointer<std::shared_ptr<T>> : std::bool_constant<std::derived_from<T, Object>> {};

template <class T, class Variant>
struct is_alternative_of;
template <class T, class... Vs>
struct is_alternative_of<T, std::variant<Vs...>> : std::bool_constant<(std::same_as<T, Vs> || ...)> {};

template <class>
inline constexpr bool always_false = false;

}  // namespace conversion_detail

// shared_ptr<T> with T derived from versile::Object (published objects, peer objects).
template <class T>
concept ObjectPointer = conversion_detail::is_object_pointer<T>::value;

template <class T>
concept ConvertibleToEntity = requires(const T& value) {
  { EntityConverter<T>::to_entity(value) } -> std::convertible_to<Entity>;
};

template <class T>
concept ConvertibleFromEntity = requires(const Entity& e) {
  { EntityConverter<T>::from_entity(e) } -> std::convertible_to<T>;
};

// A C++ value as the entity that represents it in a call.
template <class T>
Entity to_call_entity(T&& value) {
  using V = std::remove_cvref_t<T>;
  if constexpr (std::same_as<V, Entity>) {
    return std::forward<T>(value);
  } else if constexpr (ObjectPointer<V>) {
    if (!value) return Entity{};
    return Entity(ObjectRef(std::static_pointer_cast<Object>(value)));
  } else if constexpr (ConvertibleToEntity<V>) {
    return EntityConverter<V>::to_entity(value);
  } else if constexpr (std::is_constructible_v<Entity, T&&>) {
    return Entity(std::forward<T>(value));
  } else {
    static_assert(conversion_detail::always_false<V>,
                  "no conversion to an Entity: specialise versile::EntityConverter<T>");
  }
}

// An entity read as the C++ type T; throws EntityTypeError when it does not fit.
template <class T>
T from_call_entity(const Entity& e) {
  if constexpr (std::same_as<T, Entity>) {
    return e;
  } else if constexpr (ObjectPointer<T>) {
    using Pointee = typename T::element_type;
    if (e.is_none()) return nullptr;
    const ObjectRef& ref = e.get<ObjectRef>();
    auto object = ref.as<Pointee>();
    if (!object) throw EntityTypeError("object reference is not of the expected object type");
    return object;
  } else if constexpr (ConvertibleFromEntity<T>) {
    return EntityConverter<T>::from_entity(e);
  } else if constexpr (conversion_detail::is_alternative_of<T, Entity::Value>::value) {
    return e.get<T>();
  } else {
    static_assert(conversion_detail::always_false<T>,
                  "no conversion from an Entity: specialise versile::EntityConverter<T>");
  }
}

}  // namespace versile

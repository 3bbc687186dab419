// Explicit limits applied to every entity decoded from peer input (entities.md §8).
#pragma once

#include <cstddef>

namespace versile::codec {

struct Limits {
  // Bytes one entity may occupy on the wire; checked against declared lengths and counts
  // before anything is allocated. Default = the reference's VEC msg_max (101 MiB).
  std::size_t max_entity_bytes = 101u * 1024u * 1024u;
  // Nesting depth of tuples / exceptions / tagged values (the vectors nest to 100).
  std::size_t max_depth = 512;
  // Elements in one tuple, exception or tagged value.
  std::size_t max_elements = 16u * 1024u * 1024u;
  // Values at any depth (scalars and composites) in one decoded entity. The byte limit alone
  // would allow ~10^8 one-byte values, each costing ~100+ bytes of decoder memory.
  std::size_t max_total_elements = 16u * 1024u * 1024u;
};

}  // namespace versile::codec

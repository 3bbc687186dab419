// Fuzz target: the VOP negotiation parsers (link.md §3.3), as server and as client, with the
// input fed in pieces whose sizes come from the input itself. Checks the invariants the io
// glue relies on: never consume past the end of the line, a decided line is ≤ 64 bytes and
// ends with LF, the same bytes give the same decision however they are split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "io/vop_negotiation.hpp"

namespace {

using versile::io::VopClientNegotiation;
using versile::io::VopFeedResult;
using versile::io::VopServerNegotiation;
using versile::io::VopTransport;
using versile::io::VopTransportSet;

void check(bool ok) {
  if (!ok) std::abort();
}

template <class Negotiation>
VopFeedResult run(Negotiation& n, std::span<const std::uint8_t> input, std::uint8_t split_seed,
                  std::size_t& consumed) {
  consumed = 0;
  VopFeedResult last;
  std::size_t step = (split_seed % 7) + 1;
  while (consumed < input.size()) {
    const std::size_t len = std::min(step, input.size() - consumed);
    last = n.feed(input.subspan(consumed, len));
    check(last.consumed <= len);
    consumed += last.consumed;
    if (last.status != VopFeedResult::Status::need_more) break;
    check(last.consumed == len);
    step = step * 3 % 11 + 1;
  }
  if (last.status == VopFeedResult::Status::done) {
    check(consumed >= 1 && consumed <= versile::io::kVopMaxLine);
    check(input[consumed - 1] == '\n');
  }
  return last;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  VopTransportSet enabled;
  if (mode & 1) enabled.insert(VopTransport::vts);
  if (mode & 2) enabled.insert(VopTransport::tls);
  if (mode & 4) enabled.insert(VopTransport::plain);

  // Server: two different splits of the same bytes must agree.
  VopServerNegotiation chunked(enabled), other_split(enabled);
  std::size_t c1 = 0, c2 = 0;
  const auto r1 = run(chunked, input, mode, c1);
  const auto r2 = run(other_split, input, static_cast<std::uint8_t>(mode + 3), c2);
  check(r1.status == r2.status && r1.error == r2.error);
  if (r1.status == VopFeedResult::Status::done) {
    check(c1 == c2);
    check(enabled.contains(chunked.chosen()) && chunked.offered().contains(chunked.chosen()));
    const auto answer = chunked.answer_line();
    check(answer.size() <= versile::io::kVopMaxLine && answer.back() == '\n');
  }

  // Client offering `enabled` (when non-empty) reading the same bytes as an answer.
  if (!enabled.empty()) {
    VopClientNegotiation client(enabled);
    check(client.request_line().size() <= versile::io::kVopMaxLine);
    std::size_t c3 = 0;
    const auto r3 = run(client, input, mode >> 3, c3);
    if (r3.status == VopFeedResult::Status::done) check(enabled.contains(client.chosen()));
  }
  return 0;
}

// `vpstream entity encode|decode`: line-oriented VEJ ⇄ hex conversion for external tooling.
//
// Contract (keep stable):
//   encode: one VEJ value per stdin line → one lowercase hex line, or
//           {"error":"<category>","detail":"..."} when the VEJ (or its encoding) is invalid.
//   decode: one hex line per stdin line → one VEJ line; invalid input →
//           {"error":"<category>","detail":"..."}; a valid but incomplete prefix →
//           {"incomplete":true}; a complete entity followed by more bytes →
//           {"error":"trailing","detail":"..."}. References decode raw ({"local"}/{"remote"}).
//   Categories: codec::errc_name tokens, VEJ error names (vej_errc_name), or bad_hex for a
//   decode line that is not hex. Exit status 0 once all lines were processed, 2 on usage errors.
#include <cstdint>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "command_registry.hpp"
#include "entity/hex.hpp"
#include "entity/vej.hpp"

namespace vpstream::tools {
namespace {

using nlohmann::json;

std::string error_line(std::string_view category, std::string_view detail) {
  return json{{"error", category}, {"detail", detail}}.dump();
}

std::string error_name(const std::error_code& ec) {
  if (ec.category() == versile::codec::codec_category()) {
    return versile::codec::errc_name(static_cast<versile::codec::Errc>(ec.value()));
  }
  return ec.category().name() + std::string(":") + std::to_string(ec.value());
}

std::string_view strip_line_end(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string encode_line(std::string_view line) {
  versile::Entity entity;
  try {
    entity = versile::parse_vej(line);
  } catch (const versile::VejError& e) {
    return error_line(versile::vej_errc_name(e.category()), e.what());
  }
  versile::codec::OutputBuffer out;
  if (const auto ec = versile::codec::encode(entity, out)) return error_line(error_name(ec), ec.message());
  return versile::to_hex(out.flatten());
}

std::string decode_line(std::string_view line) {
  const auto bytes = versile::from_hex(line);
  if (!bytes) return error_line("bad_hex", "input line is not an even number of hex digits");
  const auto result = versile::codec::decode_one(*bytes);
  if (result.entity) return versile::to_vej(*result.entity).dump();
  if (result.incomplete) return json{{"incomplete", true}}.dump();
  if (result.error == versile::codec::Errc::trailing_bytes) {
    return error_line("trailing", "entity complete after " + std::to_string(result.consumed) + " of " +
                                      std::to_string(bytes->size()) + " bytes");
  }
  return error_line(error_name(result.error), result.error.message());
}

template <class Convert>
void convert_lines(Convert convert) {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string out;
    try {
      out = convert(strip_line_end(line));
    } catch (const std::exception& e) {
      // Nothing should get here; keep the one-line-per-input contract if something does.
      out = error_line("internal", e.what());
    }
    std::cout << out << '\n';
  }
  std::cout.flush();
}

const RegisterCommand kRegisterEntity([](CLI::App& app, int& exit_code) {
  auto* entity = app.add_subcommand("entity", "Convert entities between VEJ (JSON) and hex encodings");
  entity->require_subcommand(1);
  entity->add_subcommand("encode", "Read one VEJ value per line, write its encoding as hex")
      ->callback([&exit_code] {
        convert_lines(encode_line);
        exit_code = 0;
      });
  entity->add_subcommand("decode", "Read one hex encoding per line, write the entity as VEJ")
      ->callback([&exit_code] {
        convert_lines(decode_line);
        exit_code = 0;
      });
});

}  // namespace
}  // namespace vpstream::tools

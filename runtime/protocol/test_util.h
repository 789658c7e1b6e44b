// Helpers shared by the protocol tests (test-only; uses the standard library).
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace bmrt::protocol::testing {

using Bytes = std::vector<uint8_t>;

// "A2 00 00 00 07 00" (spaces, '|' and newlines ignored) to bytes.
inline Bytes Hex(const std::string& text) {
  Bytes out;
  std::string digits;
  for (char c : text) {
    if (isxdigit(static_cast<unsigned char>(c))) digits += c;
  }
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// Parses a hexdump "0000: 01 00 ..." (offset column dropped). Lines "a … b: all 00" expand.
inline Bytes HexDump(const std::string& dump, size_t total) {
  Bytes out(total, 0);
  std::istringstream lines(dump);
  std::string line;
  while (std::getline(lines, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t offset = std::stoul(line.substr(0, colon), nullptr, 16);
    if (line.find("all 00") != std::string::npos) continue;
    Bytes row = Hex(line.substr(colon + 1));
    for (size_t i = 0; i < row.size() && offset + i < total; ++i) out[offset + i] = row[i];
  }
  return out;
}

inline Bytes ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

}  // namespace bmrt::protocol::testing

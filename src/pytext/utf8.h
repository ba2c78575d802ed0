// UTF-8 as Python's str sees it: code points in, code points out. The one decoder that
// the template engine and the notebook converter share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lava::pytext {

// True when every byte is below 0x80 (then bytes == code points).
bool is_ascii(std::string_view s);
// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool valid_utf8(std::string_view s);

// Decodes the code point starting at s[i] and advances i past it. A byte that does not
// start a well-formed sequence decodes as itself (Latin-1) and advances one byte, so
// that loops over malformed text always end.
char32_t next(std::string_view s, size_t& i);
// decode(s): every code point of `s`, malformed bytes as by next().
std::u32string decode(std::string_view s);
// Like decode(), but malformed input is a lava::Error naming the byte offset.
std::u32string decode_checked(std::string_view s);

void append(std::string& out, char32_t c);
void append(std::string& out, std::u32string_view text);
std::string encode(std::u32string_view s);
// Number of code points (Python len()) of well-formed UTF-8.
size_t length(std::string_view s);

}  // namespace lava::pytext

/* The sandbox's string.find/match/gmatch/gsub (host/sandbox/lpattern.c, sb_string.c) against
 * Lua's own (lstrlib): every case runs in a plain luaL_newstate() + luaL_openlibs() state and
 * in a sandboxed state, and the two must give the same results or the same error message.
 * Hand-written cases cover the manual's §6.4.1 item by item; a few thousand pseudo-random
 * small pattern/subject pairs (a fixed seed) cover the combinations. A random case runs in
 * lstrlib only when ours finished it within a small budget, so lstrlib cannot hang on it.
 *
 * Then the reason for all this: catastrophic patterns are killed with the instruction-limit
 * message even inside pcall, and the state stays usable. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sandbox/lpattern.h"
#include "sandbox/sandbox.h"

/* Defines, in either state, F/M/G/S (find, match, all of gmatch, gsub) returning a one-line
 * description of what the call returned or raised, and R (one random case). Only the four
 * functions under test differ between the states; the rest (format, concat) is stock Lua. */
static const char driver[] =
    "local find, match, gmatch, gsub = string.find, string.match, string.gmatch, string.gsub\n"
    "local fmt, concat, mtype, select, tostring, type, pcall = string.format, table.concat, math.type, select, tostring, type, pcall\n"
    "local function ser(v)\n"
    "  local t = type(v)\n"
    "  if t == 'string' then return fmt('%q', v) end\n"
    "  if t == 'number' then return mtype(v) .. ':' .. fmt('%.17g', v) end\n"
    "  if t == 'nil' or t == 'boolean' then return tostring(v) end\n"
    "  return t\n"
    "end\n"
    "function list(...)\n"
    "  local out = {}\n"
    "  for i = 1, select('#', ...) do out[i] = ser((select(i, ...))) end\n"
    "  return concat(out, ',')\n"
    "end\n"
    "function result(ok, ...)\n"
    "  if ok then return 'ok ' .. list(...) end\n"
    "  return 'error ' .. tostring((...))\n"
    "end\n"
    "local function all(it)\n"
    "  local out = {}\n"
    "  for i = 1, 500 do\n"
    "    local r = { n = 0 }\n"
    "    local function keep(...) r.n = select('#', ...); for k = 1, r.n do r[k] = (select(k, ...)) end end\n"
    "    keep(it())\n"
    "    if r[1] == nil then break end\n"
    "    out[i] = list(table.unpack(r, 1, r.n))\n"
    "  end\n"
    "  return concat(out, ' | ')\n"
    "end\n"
    "function F(...) return result(pcall(find, ...)) end\n"
    "function M(...) return result(pcall(match, ...)) end\n"
    "function S(...) return result(pcall(gsub, ...)) end\n"
    "function G(...)\n"
    "  local args = table.pack(...)\n"
    "  return result(pcall(function() return all(gmatch(table.unpack(args, 1, args.n))) end))\n"
    "end\n"
    "REPL_T = { a = 'A', b = false, ab = 'AB', ['1'] = 'one', [1] = 'first', [3] = 3.5, x = {} }\n"
    "function REPL_F(...)\n"
    "  local a = ...\n"
    "  if a == 'a' then return false end\n"
    "  if a == 'b' then return nil end\n"
    "  if a == 'x' then return {} end\n"
    "  if type(a) == 'number' then return a * 2 end\n"
    "  local n = select('#', ...)\n"
    "  local parts = {}\n"
    "  for i = 1, n do parts[i] = tostring((select(i, ...))) end\n"
    "  return '<' .. concat(parts, ',') .. '>'\n"
    "end\n"
    "function R(fn, s, p, a, b, c)\n"
    "  if fn == 0 then return F(s, p, a, b) end\n"
    "  if fn == 1 then return M(s, p, a) end\n"
    "  if fn == 2 then return G(s, p, a) end\n"
    "  local repl = b\n"
    "  if b == '\\1T' then repl = REPL_T elseif b == '\\1F' then repl = REPL_F end\n"
    "  return S(s, p, repl, c)\n"
    "end\n"
    "function CASE(code)\n"
    "  local f, err = load('return ' .. code, '=case')\n"
    "  if not f then return 'does not compile: ' .. err end\n"
    "  return f()\n"
    "end\n";

/* Each a Lua expression over F/M/G/S (and REPL_T, REPL_F) giving one description. */
static const char *const cases[] = {
    /* plain text, init, the plain flag */
    "F('hello world', 'o w')", "F('hello world', 'o', 5)", "F('hello world', 'o', 6)",
    "F('hello world', 'o', -3)", "F('hello world', 'o', -100)", "F('hello world', 'o', 0)",
    "F('hello world', 'o', 100)", "F('hello', '', 6)", "F('hello', '', 7)", "F('hello', '', 5)",
    "F('hello', '', -1)", "F('', '')", "F('', '', 1)", "F('', '', 2)", "F('', 'a')",
    "F('a.b', '.', 1, true)", "F('a.b', '.', 1, 1)", "F('a.b', '.', 1, false)", "F('a.b', '.', 1, nil)",
    "F('a+b', '+', 1, true)", "F('a(b', '(', 1, true)", "F('a%b', '%', 1, true)",
    "F('a)b', 'a)')", "M('a)b', 'a)')", "F('a]b', ']')", "F('x\\0y', '\\0')", "F('x\\0y', '\\0y')",
    "F('x\\0y', '%z')", "F('x\\0y', '[\\0]')", "M('x\\0y', '.%z?(.)')", "F('abc', 'abcd')",
    "F('aaab', 'aab')", "F(('ab'):rep(100) .. 'c', 'abc')", "F('hello', 'l', 1.0)",
    "F(12345, 34)", "F('12345', 3)", "F('abc', 'b', '2')", "F('abc', 'b', 1.5)",
    "F('abc', 'b', {})", "F()", "F('abc')", "F(nil, 'a')", "F({}, 'a')", "F('abc', {})",
    "M()", "M('abc')", "S('abc')", "S('abc', 'b')", "S('abc', 'b', true)", "S('abc', 'b', 'x', 'y')",
    "S('abc', 'b', 'x', 1.5)", "G('abc')", "G('abc', 'b', 'x')", "M('abc', '.', 2^63)",
    "F('abc', 'c', math.mininteger)", "F('abc', 'c', math.maxinteger)",
    "F('abc', 'b', 2, true, 'extra')",
    /* . and the classes, each with its complement */
    "M('x1 !\\tA\\n', '.')", "G('x1 !\\tA\\n\\0\\200\\255', '.')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%a')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%A')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%c')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%C')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%d')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%D')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%g')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%G')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%l')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%L')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%p')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%P')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%s')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%S')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%u')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%U')",
    "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%w')", "G('aZ09 _!\\t\\n\\1\\127\\128\\200~', '%W')",
    "G('aZ09fF_gG!\\t\\n', '%x')", "G('aZ09fF_gG!\\t\\n', '%X')",
    "G('zZ%.-', '%z')", "G('zZ%.-', '%Z')", "G('a.b-c%d', '%.')", "G('a.b-c%d', '%-')",
    "G('a.b-c%d', '%%')", "G('a]b[c', '%]')", "G('a^b$c', '%^')", "G('a^b$c', '%$')",
    "G('q?*+', '%?')", "G('q?*+', '%*')", "G('q?*+', '%+')", "G('a(b)c', '%(')",
    /* every byte against every class: one long line per class */
    "(function() local s = {} for i = 0, 255 do s[#s + 1] = string.char(i) end s = table.concat(s)"
    " local out = {} for _, c in ipairs{'a','c','d','g','l','p','s','u','w','x','A','C','D','G','L','P','S','U','W','X'} do"
    " out[#out + 1] = S(s, '%' .. c, '') end return table.concat(out, '/') end)()",
    /* sets */
    "G('abcxyz-]^', '[abc]')", "G('abcxyz-]^', '[^abc]')", "G('abcxyz-]^', '[a-c]')",
    "G('abcxyz-]^', '[c-a]')", "G('abcxyz-]^', '[a-]')", "G('abcxyz-]^', '[-a]')",
    "G('abcxyz-]^', '[]]')", "G('abcxyz-]^', '[^]]')", "G('abcxyz-]^', '[]a]')",
    "G('abcxyz-]^', '[^^]')", "G('abcxyz-]^', '[a^]')", "G('abcxyz-]^', '[%]]')",
    "G('abcxyz-]^', '[%-]')", "G('abcxyz-]^', '[a%-z]')", "G('abcxyz-]^', '[a-c-z]')",
    "G('ab1_ -', '[%w_]')", "G('ab1_ -', '[^%w_]')", "G('ab1_ -', '[%a%d]')", "G('ab1_ -', '[%W]')",
    "G('ab1_ -', '[%S]')", "G('a+-%b', '[+-%%]')", "G('a+-%b', '[%%-+]')", "G('a+-%b', '[%a-%%]')",
    "G('abc', '[a-a]')", "G('\\0\\1\\255', '[\\0-\\1]')", "G('\\0\\1\\255', '[\\200-\\255]')",
    "G('abc', '[%')", "G('abc', '[')", "G('abc', '[^')", "G('abc', '[]')", "G('abc', '[^]')",
    "G('abc', '[a')", "G('abc', '[a%]')", "G('abc', '[a-')", "F('abc', 'x[')", "F('x', 'x[')",
    "F('abc', '[a-z')", "F('', '[')", "F('', '[', 1)", "M('', 'a*[')",
    /* quantifiers */
    "M('aaab', 'a*')", "M('aaab', 'a+')", "M('aaab', 'a-')", "M('aaab', 'a-b')", "M('aaab', 'a?')",
    "M('aaab', 'a?a?a?a?b')", "M('b', 'a*b')", "M('b', 'a+b')", "M('b', 'a-b')", "M('b', 'a?b')",
    "M('<a><b>', '<.->')", "M('<a><b>', '<.*>')", "M('<a><b>', '<.+>')", "G('<a><b>', '<(.-)>')",
    "M('xaaay', 'xa*y')", "M('xaaay', 'x.-y')", "M('xaaay', 'x[ay]*')", "M('xaaay', 'x[ay]*y')",
    "M('xaaay', 'x[ay]-y')", "M('aaa', '^a-$')", "M('aaa', 'a-$')", "M('a+b', 'a+b')",
    "M('a+b', 'a%+b')", "M('ab', 'a**')", "M('a*', 'a**')", "M('aa', 'a*+')", "M('a', '*')",
    "M('+a', '+a')", "M('-a', '-')", "M('?', '?')", "M('a', 'a?-')", "M('1234 5', '%d+')",
    "M('  x  ', '^%s*(.-)%s*$')", "M('key = value', '(%w+)%s*=%s*(%w+)')", "M('abc', '.-')",
    "M('abc', '.-$')", "M('abc', '()')", "M('abc', '()', 4)", "M('abc', '()', 5)",
    "M(('a'):rep(50) .. 'b', '(a*)(a*)b')", "M(('a'):rep(50), '(a-)(a*)$')",
    /* anchors */
    "F('abc', '^b')", "F('abc', '^a')", "F('abc', '^b', 2)", "F('abc', 'c$')", "F('abc', 'b$')",
    "F('a$c', '$c')", "F('a$c', 'a$c')", "F('abc', '^')", "F('abc', '$')", "F('abc', '^$')",
    "F('', '^$')", "F('a^b', 'a^b')", "F('a^b', '^a^b')", "M('abc', '^(a)(b)')", "S('abc', '^', 'x')",
    "S('abc', '$', 'x')", "S('abc', '^a', 'x')", "S('abc', '^b', 'x')", "S('aaa', '^a', 'x')",
    "G('^a^a', '^a')", "G('aaa', '^a')", "S('hello', '^h?', '-')", "F('abc$', '$$')",
    /* captures */
    "M('hello world', '(h)(e)(l)(l)(o)')", "F('hello world', '(o)(.)')", "F('hello world', 'o.')",
    "M('hello', '(h(e(l)))')", "M('hello', '()ll()')", "F('hello', '()ll()')", "M('hello', '(l)()')",
    "G('abc', '()')", "G('abc', '()', 2)", "G('abc', '()', 4)", "G('abc', '()', 5)",
    "M('abc', '(a)(b)(c)(d?)')", "M('abc', '(a')", "F('abc', '(a')", "F('bbc', '(a')", "M('abc', 'a)')",
    "M('abc', '(a))')", "M('abc', '((a)')", "F('abc', '((a)')", "S('abc', '(a', 'x')",
    "S('abc', '(a', '%1')", "S('abc', '(a', REPL_F)", "S('abc', '(a', REPL_T)",
    "M('aaaa', ('(a)'):rep(4))", "M(('a'):rep(40), ('(a)'):rep(32))", "M(('a'):rep(40), ('(a)'):rep(33))",
    "M(('a'):rep(40), ('()'):rep(32))", "M(('a'):rep(40), ('()'):rep(33))", "F('b', ('(a)'):rep(33))",
    "M('x', ('('):rep(40) .. 'x')",
    /* back-references */
    "M('abab', '(ab)%1')", "M('abac', '(ab)%1')", "F('xyzxyz', '(.+)%1')", "M('aa', '(a)%1%1')",
    "M('\"hello\" \"x\"', '([\"\\'])(.-)%1')", "M('aaa', '()a%1')", "F('a', '%1')", "F('a', '%0')",
    "F('a', '(a)%2')", "F('a', '(a%1)')", "F('b', '(a)%2')", "M('aa', '(a)%9')", "M('aab', '(a*)%1b')",
    "M('abcabc', '((a)(b)c)%1%2')", "M('abab', '(a)(b)%2')",
    /* %b and %f */
    "M('x(a(b)c)d', '%b()')", "M('x(a(b)c', '%b()')", "M('x)a(', '%b()')", "M('((a)', '%b()')",
    "G('[a][b][[c]]', '%b[]')", "M(\"'a'b'\", \"%b''\")", "M('aXbYc', '%bXY')", "F('abc', '%b')",
    "F('abc', '%ba')", "F('', '%b')", "F('abc', 'x%b')", "M('(a)*', '%b()*')", "M('(a)(b)', '%b()+')",
    "G('THE (quick) fox', '%f[%a]%a+')", "G('THE (quick) fox', '%f[%a]')", "G('THE (quick) fox', '%f[%A]')",
    "G('hello', '%f[%l]')", "G('hello', '%f[%z]')", "G('hello', '%f[%Z]')", "G('', '%f[%z]')",
    "G('a b', '%f[%s]')", "S('THE (quick) fox', '%f[%a]%a+', 'W')", "F('abc', '%f')",
    "F('abc', '%fa')", "F('abc', '%f[a')", "F('abc', '%f[]')", "M('abc', '%f[^a]')",
    "M('abc', '%f[b-c]%a*')", "G('x1y2', '%f[%d]')", "G('x1y2', '%f[%D]')",
    /* malformed patterns, reached or not */
    "F('a', '%')", "F('a', 'a%')", "F('b', 'a%')", "M('abc', 'b%')", "G('abc', '%')",
    "S('abc', '%', 'x')", "S('', 'x%', 'y')", "S('x', 'x%', 'y')",
    /* gmatch: init and empty matches */
    "G('hello world from Lua', '%a+')", "G('hello world', '%a+', 3)", "G('hello world', '%a+', -5)",
    "G('hello world', '%a+', 0)", "G('hello world', '%a+', 100)", "G('abc', '')", "G('abc', '', 2)",
    "G('abc', '', 4)", "G('abc', '', 5)", "G('', '')", "G('', 'a*')", "G('abc', 'b*')", "G('aaa', 'a*')",
    "G('a,b,,c', '([^,]*)')", "G('k=v, k2=v2', '(%w+)=(%w+)')", "G('abc', '.-')", "G('abc', 'x*')",
    "G('abab', '()ab()')", "G('a1b2c3', '%a(%d)')",
    /* gsub with string replacements */
    "S('hello world', 'o', '0')", "S('hello world', 'o', '0', 1)", "S('hello world', 'o', '0', 0)",
    "S('hello world', 'o', '0', -1)", "S('hello world', 'o', '0', 2.0)", "S('hello world', '', '-')",
    "S('hello world', 'x*', '-')", "S('hello world', '%w+', '%0 %0')", "S('hello world', '(%w+)', '<%1>')",
    "S('hello world', '(%w+) (%w+)', '%2 %1')", "S('hello', '', '%%')", "S('hello', 'l', '%%%0%%')",
    "S('hello', 'l', '%')", "S('hello', 'l', '%x')", "S('hello', 'l', 'a%')", "S('hello', 'l', '%2')",
    "S('hello', '(l)', '%2')", "S('hello', '(l)', '%1%1')", "S('hello', '()l', '%1')",
    "S('hello', '()l()', '%2-%1')", "S('hello', 'l', '%1')", "S('hello', 'l', '%0%1')",
    "S('hello', 'l', 5)", "S('hello', 'l', 5.5)", "S('hello', 'l', '\\0')", "S('a\\0b', '%z', 'Z')",
    "S('hello world', '%s+', ' ')", "S('  a  b  ', '^%s+', '')", "S('  a  b  ', '%s+$', '')",
    "S('abc', '.', {a = 1, b = true})", "S('abc', '.', {a = 1})", "S('abc', 'b*', 'X')",
    "S('abc', '%w', '%0%0', 2)", "S('', '', 'x')", "S('', 'a', 'x')", "S('abc', '^', 'x', 0)",
    "S('aaa', 'a-', '-')", "S('aaa', 'a-$', '-')", "S('a.b.c', '%.', '/')", "S('a.b.c', '.', '/')",
    /* gsub with tables and functions */
    "S('a b ab x c', '%w+', REPL_T)", "S('a b ab c', '(%w)(%w?)', REPL_T)", "S('abc', '()', REPL_T)",
    "S('a b ab x c', '%w+', REPL_F)", "S('a b ab c', '(%w)(%w?)', REPL_F)", "S('abc', '()', REPL_F)",
    "S('abc', '()(.)', REPL_F)", "S('hello world', '%w+', string.upper)", "S('hello', '.', string.byte)",
    "S('abc', '%w', function() return {} end)", "S('abc', '%w', function() return true end)",
    "S('abc', '%w', function() end)", "S('abc', '%w', function(c) return c:rep(2) end, 2)",
    "S('abc', '%w', setmetatable({}, {__index = function(_, k) return k:upper() end}))",
    "S('abc', '%w', function(c) error('boom ' .. c) end)", "S('abc', '(%w)', function(...) return select('#', ...) end)",
    "S('abc', '%w', {a = 'x', b = {}})", "S('a', 'a', {a = 1.5})", "S('a', 'a', {a = 2^53})",
    "S('x = 1, y = 2', '(%w+) = (%w+)', '%2 = %1')", "S('$name is $age', '%$(%w+)', {name = 'Ann', age = 7})",
    /* method calls and the string metatable */
    "(function() return result(pcall(function() return ('hello'):find('l+') end)) end)()",
    "(function() return result(pcall(function() return ('hello'):gsub('l', 'L') end)) end)()",
    "(function() return result(pcall(function() return ('k=v'):match('(%w)=(%w)') end)) end)()",
    "(function() local out = {} for w in ('one two'):gmatch('%a+') do out[#out + 1] = w end return table.concat(out, '+') end)()",
    "(function() return result(pcall(function() return ('hello'):find({}) end)) end)()",
    "(function() return result(pcall(function() return ('hello'):gsub() end)) end)()",
    "(function() return result(pcall(function() return string.gmatch('a')() end)) end)()",
    /* pattern too complex: the depth where Lua's matcher gives up */
    "M(('a'):rep(198), ('a?'):rep(198))", "M(('a'):rep(199), ('a?'):rep(199))",
    "M(('a'):rep(200), ('a?'):rep(200))", "M(('a'):rep(201), ('a?'):rep(201))",
    "M(('a'):rep(300), ('a?'):rep(300))", "M(('a'):rep(300), ('a?'):rep(300) .. 'b')",
    "M(('a'):rep(199), ('a*'):rep(199))", "M(('a'):rep(200), ('a*'):rep(200))",
    "M(('a'):rep(300) .. 'b', ('a-'):rep(199) .. 'b')", "M(('a'):rep(300) .. 'b', ('a-'):rep(200) .. 'b')",
    "M(('a'):rep(199), 'a*' .. ('a?'):rep(199))", "M('', ('a*'):rep(300))", "M('b', ('a*'):rep(300))",
    "M(('a'):rep(300) .. 'b', ('a*'):rep(300) .. 'b')", "M(('a'):rep(300) .. 'b', 'a+' .. ('a?'):rep(198) .. 'b')",
    "M(('a'):rep(300) .. 'b', 'a+' .. ('a?'):rep(199) .. 'b')", "M(('a'):rep(60), ('(a)'):rep(30) .. ('a?'):rep(170))",
    "M('x', ('()'):rep(32) .. ('x?'):rep(170))", "M(('x'):rep(198) .. ' y', ('x?'):rep(198) .. '%f[%s]')",
    "M(('x'):rep(199) .. ' y', ('x?'):rep(199) .. '%f[%s]')", "M(('x'):rep(200) .. ' y', ('x?'):rep(200) .. '%f[%s]')",
    "M(('x'):rep(199) .. 'y', ('x?'):rep(199) .. 'y')", "M(('x'):rep(200) .. 'y', ('x?'):rep(200) .. 'y')",
    "M(('x'):rep(100) .. 'y', ('(x?)'):rep(20) .. ('x?'):rep(178) .. 'y')",
    "M(('x'):rep(100) .. 'y', ('(x?)'):rep(20) .. ('x?'):rep(179) .. 'y')",
    "S(('x'):rep(300), ('x?'):rep(199), '-')", "S(('x'):rep(300), ('x?'):rep(200), '-')",
    "G(('x'):rep(300), ('x?'):rep(200))", "F(('ab'):rep(150), ('%bab'):rep(199))", "F(('ab'):rep(150), ('%bab?'):rep(199))",
    /* longer subjects */
    "S(('ab '):rep(1000), '%w+', '%0.')", "S(('word '):rep(2000), '%a+', 'x')",
    "F(('a'):rep(5000) .. 'b', 'a*b')", "M(('a'):rep(3000) .. 'b', '^(a-)b$')",
    "F(('ab'):rep(3000), 'ba', 4000, true)", "F(('ab'):rep(3000), 'bb')", "G(('x'):rep(3000), 'x+')",
};

/* ---- running a case in both states ----------------------------------------------------------- */
typedef struct outcome {
    int killed;
    char text[8192];
} outcome;

static void describe(lua_State *L, outcome *o) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    snprintf(o->text, sizeof o->text, "%.*s", (int)(s ? n : 4), s ? s : "(no result)");
    lua_pop(L, 1);
}

/* Calls the global fn with the nargs values on top of ref (copied into sb as well). */
static void run_both(lua_State *ref, lua_State *sb, const char *fn, int nargs, outcome *r, outcome *o) {
    r->killed = o->killed = 0;
    snprintf(r->text, sizeof r->text, "(not run)");
    lua_getglobal(sb, fn);
    for (int i = nargs; i >= 1; i--) {
        size_t n;
        const char *s;
        switch (lua_type(ref, -i)) {
        case LUA_TSTRING:
            s = lua_tolstring(ref, -i, &n);
            lua_pushlstring(sb, s, n);
            break;
        case LUA_TNUMBER:
            if (lua_isinteger(ref, -i))
                lua_pushinteger(sb, lua_tointeger(ref, -i));
            else
                lua_pushnumber(sb, lua_tonumber(ref, -i));
            break;
        case LUA_TBOOLEAN:
            lua_pushboolean(sb, lua_toboolean(ref, -i));
            break;
        default:
            lua_pushnil(sb);
        }
    }
    char err[1024];
    if (lede_sb_call(sb, nargs, 1, err, sizeof err) == 0) {
        describe(sb, o);
    } else {
        o->killed = strstr(err, "instruction limit hit") != NULL;
        snprintf(o->text, sizeof o->text, "raised: %s", err);
    }
    if (o->killed) {
        lua_pop(ref, nargs);
        return;
    }
    lua_getglobal(ref, fn);
    lua_insert(ref, -nargs - 1);
    if (lua_pcall(ref, nargs, 1, 0) == LUA_OK)
        describe(ref, r);
    else
        snprintf(r->text, sizeof r->text, "raised: %s", lua_tostring(ref, -1)), lua_pop(ref, 1);
}

static int shown;

static void compare(const char *what, const outcome *r, const outcome *o) {
    check_count++;
    if (strcmp(r->text, o->text) == 0) return;
    check_failures++;
    if (shown++ < 30) fprintf(stderr, "DIFFERS: %s\n  lua:  %.600s\n  ours: %.600s\n", what, r->text, o->text);
}

static lua_State *ref_state(void) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_dostring(L, driver) != LUA_OK) {
        fprintf(stderr, "driver: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    return L;
}

static lua_State *sandbox_state(unsigned long long max_instructions) {
    lede_sb_limits lim = {.max_instructions = max_instructions};
    lua_State *L = lede_sb_new_state(&lim);
    if (!L || luaL_dostring(L, driver) != LUA_OK) {
        fprintf(stderr, "driver: %s\n", L ? lua_tostring(L, -1) : "no state");
        exit(1);
    }
    return L;
}

static int hand_cases(void) {
    lua_State *ref = ref_state(), *sb = sandbox_state(50000000);
    int n = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        outcome r, o;
        lua_pushstring(ref, cases[i]);
        run_both(ref, sb, "CASE", 1, &r, &o);
        CHECK(!o.killed);
        compare(cases[i], &r, &o);
        n++;
    }
    lua_close(ref);
    lede_sb_close(sb);
    return n;
}

/* ---- pseudo-random cases ------------------------------------------------------------------- */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const atoms[] = {
    "a", "b", "a", "b", "c", "x", " ", "(", ")", "()", ".", "%a", "%d", "%s", "%w", "%A", "%S", "%p",
    "%x", "%l", "%u", "%c", "%g", "%%", "%.", "%(", "%z", "[ab]", "[^a]", "[a-c]", "[%d_]", "[]]",
    "[^]]", "[a-]", "[%a%s]", "[^%s]", "%1", "%2", "%0", "%b()", "%bab", "%f[%w]", "%f[%W]", "%f[a]",
    "$", "^", "-", "[", "%", "%f", "%b", "[a", "%bx", "1", "_", "\\0",
};
static const char *const quants[] = {"", "", "", "*", "+", "-", "?"};
static const char subject_chars[] = "aaabbc  x(()1._-A";
static const char *const repls[] = {"x", "%0", "%1", "<%1%2>", "%%", "%", "%x", "", "\1T", "\1F", "[%0]"};

static size_t random_pattern(char *p, size_t cap) {
    size_t n = 0;
    if (rnd(6) == 0) p[n++] = '^';
    for (unsigned k = 0, items = rnd(6); k < items; k++) {
        const char *a = atoms[rnd(sizeof atoms / sizeof *atoms)];
        const char *q = quants[rnd(sizeof quants / sizeof *quants)];
        if (n + strlen(a) + strlen(q) + 2 >= cap) break;
        if (strcmp(a, "\\0") == 0)
            p[n++] = '\0';
        else
            memcpy(p + n, a, strlen(a)), n += strlen(a);
        memcpy(p + n, q, strlen(q));
        n += strlen(q);
    }
    if (rnd(6) == 0) p[n++] = '$';
    p[n] = '\0';
    return n;
}

static int random_errors, random_misses;

static int random_cases(int count, int *skipped) {
    lua_State *ref = ref_state(), *sb = sandbox_state(200000);
    int ran = 0;
    *skipped = 0;
    for (int i = 0; i < count; i++) {
        char p[128], s[32], what[512];
        size_t pl = random_pattern(p, sizeof p);
        size_t sl = rnd(13);
        for (size_t k = 0; k < sl; k++) s[k] = rnd(12) == 0 ? '\0' : subject_chars[rnd(sizeof subject_chars - 1)];
        int fn = (int)rnd(4);
        static const int inits[] = {1, 1, 1, 2, 3, -1, -3, 0, 6, 20, -20};
        int has_init = rnd(3) == 0, init = inits[rnd(sizeof inits / sizeof *inits)];
        lua_pushinteger(ref, fn);
        lua_pushlstring(ref, s, sl);
        lua_pushlstring(ref, p, pl);
        if (has_init) lua_pushinteger(ref, init); else lua_pushnil(ref);
        const char *repl = repls[rnd(sizeof repls / sizeof *repls)];
        int plain = rnd(4) == 0, maxn = (int)rnd(5) - 1;
        if (fn == 0) lua_pushboolean(ref, plain); else lua_pushstring(ref, repl);
        if (fn == 3 && rnd(3) == 0) lua_pushinteger(ref, maxn); else lua_pushnil(ref);
        snprintf(what, sizeof what, "R(%d, %.*s (%zu bytes), pattern '%s', init %d%s, plain %d, repl '%s', n %d)", fn,
                 (int)sl, s, sl, p, has_init ? init : 1, has_init ? "" : " (none)", plain, repl, maxn);
        outcome r, o;
        run_both(ref, sb, "R", 6, &r, &o);
        if (o.killed) {
            ++*skipped;
            continue;
        }
        compare(what, &r, &o);
        ran++;
        if (strncmp(r.text, "ok ", 3) != 0) random_errors++;
        else if (strcmp(r.text, "ok nil") == 0 || strcmp(r.text, "ok \"\"") == 0) random_misses++;
    }
    lua_close(ref);
    lede_sb_close(sb);
    return ran;
}

/* ---- catastrophic patterns are killed ----------------------------------------------------------- */

/* Runs code (a chunk) as one untrusted call; returns its error, or "" when it returned. */
static const char *run_untrusted(lua_State *L, const char *code, char *err, size_t n) {
    if (luaL_loadstring(L, code) != LUA_OK) {
        snprintf(err, n, "load: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return err;
    }
    if (lede_sb_call(L, 0, 1, err, n) != 0) return err;
    snprintf(err, n, "%s", "");
    lua_pop(L, 1);
    return err;
}

static void expect_killed(lua_State *L, const char *code) {
    char err[2048];
    run_untrusted(L, code, err, sizeof err);
    check_count++;
    if (strcmp(err, "instruction limit hit (5000000 instructions, --max-instructions)") != 0) {
        check_failures++;
        fprintf(stderr, "not killed: %s\n  got: %s\n", code, err);
    }
    /* the state goes on working, with the real string functions */
    run_untrusted(L, "local a, b = ('hello world'):find('o w') local s = ('x y'):gsub('%s', '-')"
                     " assert(a == 5 and b == 7 and s == 'x-y') return 1", err, sizeof err);
    CHECK_STR(err, "");
}

static void kills(void) {
    lua_State *L = sandbox_state(5000000);
    static const char *const bombs[] = {
        /* exponential backtracking, through each function, bare and inside pcall */
        "local s = ('a'):rep(24) return s:find(('a*'):rep(24) .. 'b')",
        "local s = ('a'):rep(24) return s:match(('a*'):rep(24) .. 'b')",
        "local s = ('a'):rep(24) for x in s:gmatch(('a*'):rep(24) .. 'b') do end",
        "local s = ('a'):rep(24) return s:gsub(('a*'):rep(24) .. 'b', '')",
        "local s = ('a'):rep(24) pcall(string.find, s, ('a*'):rep(24) .. 'b') return 'escaped'",
        "local s = ('a'):rep(24) pcall(string.match, s, ('a-'):rep(24) .. 'b') return 'escaped'",
        "local s = ('a'):rep(24) pcall(function() for x in s:gmatch(('a?'):rep(24) .. 'b') do end end) return 'escaped'",
        "local s = ('a'):rep(24) pcall(string.gsub, s, ('a*'):rep(24) .. 'b', 'x') return 'escaped'",
        "local s = ('a'):rep(24) while true do pcall(string.find, s, ('a*'):rep(24) .. 'b') end",
        "local s = ('a'):rep(24) return select(2, pcall(error, select(2, pcall(s.find, s, ('a*'):rep(24) .. 'b'))))",
        /* O(n^2): a*b over 4 MB of a */
        "local s = ('a'):rep(4 << 20) return s:find('a*b')",
        "local s = ('a'):rep(4 << 20) pcall(string.match, s, 'a*b') return 'escaped'",
        "local s = ('a'):rep(4 << 20) pcall(function() for x in s:gmatch('a-b') do end end) return 'escaped'",
        "local s = ('a'):rep(4 << 20) pcall(string.gsub, s, '.-b', '') return 'escaped'",
        "local s = ('a'):rep(4 << 20) return s:find('(a*)b')",
        "local s = ('a'):rep(4 << 20) return s:find('%f[a]a*b')",
        /* a long non-special pattern compared at every position */
        "local s = ('a'):rep(1 << 20) local p = ('a'):rep(1 << 19) .. '.b' return s:find(p)",
        /* back-references and %b over long runs */
        "local s = ('a'):rep(1 << 20) return s:find('(a*)%1b')",
        "local s = ('('):rep(1 << 20) pcall(string.find, s, '%b()') pcall(string.gsub, s, '%b()', '') return 'escaped'",
        /* a repl function, and a coroutine of the pack's own, cannot shelter a kill either */
        "return ('abc'):gsub('%w', function(c) pcall(string.find, ('a'):rep(24), ('a*'):rep(24) .. 'b') return c end)",
        "local co = coroutine.wrap(function() pcall(string.find, ('a'):rep(24), ('a*'):rep(24) .. 'b') return 'escaped' end)"
        " local ok = pcall(co) return 'escaped'",
        /* linear work is charged too: a million matches is more than the budget */
        "local s = ('a '):rep(3 << 20) local n = 0 for w in s:gmatch('%a') do n = n + 1 end return n",
        "local s = ('ab'):rep(3 << 20) pcall(string.gsub, s, 'a', 'b') return 'escaped'",
        "local s = ('a'):rep(8 << 20) for i = 1, 1e9 do pcall(string.find, s, 'b', 1, true) end",
    };
    for (size_t i = 0; i < sizeof bombs / sizeof *bombs; i++) expect_killed(L, bombs[i]);

    /* Outside untrusted calls (the host's own code in the state) nothing is counted. */
    luaL_dostring(L, "return #(('a'):rep(5000) .. 'b'):gsub('a*b', 'x')");
    CHECK(lua_tointeger(L, -1) == 1);
    lua_pop(L, 1);
    /* The same work within the budget is not killed, and the budget is per call. */
    char err[1024];
    for (int i = 0; i < 3; i++) {
        run_untrusted(L, "local s = ('a'):rep(1000) .. 'b' assert(s:find('a*b') == 1) return 1", err, sizeof err);
        CHECK_STR(err, "");
    }
    lede_sb_close(L);
}

/* ---- the core on its own: statuses and the fuel it reports -------------------------------------- */
static void core(void) {
    char s[64];
    memset(s, 'a', 24);
    const char *e;
    lede_lpat m;
    char p[80] = "";
    for (int i = 0; i < 24; i++) strcat(p, "a*");
    strcat(p, "b");
    lede_lpat_init(&m, s, 24, p, strlen(p), 100000);
    CHECK(lede_lpat_search(&m, s, 0, NULL, &e) == NULL);
    CHECK(m.status == LEDE_LPAT_BUDGET);
    CHECK(lede_lpat_spent(&m, 100000) == 100000);

    lede_lpat_init(&m, "hello", 5, "l+", 2, 1000);
    const char *st = lede_lpat_search(&m, m.src, 0, NULL, &e);
    CHECK(st && st - m.src == 2 && e - m.src == 4 && m.status == LEDE_LPAT_OK);
    CHECK(lede_lpat_spent(&m, 1000) > 0 && lede_lpat_spent(&m, 1000) < 20);

    lede_lpat_init(&m, "x", 1, "x[", 2, 1000);
    CHECK(lede_lpat_search(&m, m.src, 0, NULL, &e) == NULL);
    CHECK(m.status == LEDE_LPAT_ERROR);
    CHECK_STR(m.err, "malformed pattern (missing ']')");
    CHECK(lede_lpat_spent(&m, 1000) > 0 && lede_lpat_spent(&m, 1000) < 10);

    lede_lpat_init(&m, "abc", 3, "x[", 2, 1000);
    CHECK(lede_lpat_search(&m, m.src, 0, NULL, &e) == NULL && m.status == LEDE_LPAT_OK);

    /* no fuel at all: nothing is searched */
    lede_lpat_init(&m, "abc", 3, "b", 1, 0);
    CHECK(lede_lpat_search(&m, m.src, 0, NULL, &e) == NULL && m.status == LEDE_LPAT_BUDGET);

    CHECK(lede_lpat_has_specials("a)]b", 4) == 0);
    CHECK(lede_lpat_has_specials("a\0.", 3) == 1);
}

int main(void) {
    core();
    int hand = hand_cases();
    int skipped, ran = random_cases(10000, &skipped);
    kills();
    printf("differential: %d hand-written cases, %d random cases (%d raised, %d found nothing; %d more skipped:"
           " over budget)\n", hand, ran, random_errors, random_misses, skipped);
    CHECK(ran > 9000);
    CHECK_DONE();
}

-- Batch files: the line syntax of `ip -batch`. A `#` anywhere ends the
-- line; a backslash right before the newline joins the next line; words
-- split on blanks, and a word that starts with a quote runs to the next
-- same quote, with no escapes inside.

local M = {}

-- A batch runs these for every line: as locals they skip the string
-- metatable's lookup, a tenth of the time a line takes.
local find, sub, match = string.find, string.sub, string.match
local byte = string.byte

local MAX_WORDS = 511
local NEWLINE, BACKSLASH = ("\n\\"):byte(1, 2)

-- A NUL ends the line too: the commands take C strings, and a word cut
-- short there must not act on some other name (ip reads it the same).
local function strip_comment(line)
  local stop = find(line, "#", 1, true)
  local nul = find(line, "\0", 1, true)
  if nul and (not stop or nul < stop) then
    stop = nul
  end
  if stop then
    return sub(line, 1, stop - 1)
  end
  return line
end

local WORD = "[^ \t\r\n]+"
-- "netns delete NAME" and "delete NAME": one match, which makes no
-- garbage but the words.
local TWO = "^[ \t\r\n]*([^ \t\r\n]+)[ \t\r\n]+([^ \t\r\n]+)"
local THREE = TWO .. "[ \t\r\n]+([^ \t\r\n]+)[ \t\r\n]*$"
TWO = TWO .. "[ \t\r\n]*$"

-- Most lines have no quote: their words are the runs of non-blanks.
local function split_plain(line)
  local a, b, c = match(line, THREE)
  if a then
    return { a, b, c }
  end
  a, b = match(line, TWO)
  if a then
    return { a, b }
  end
  local words, n, pos = {}, 0, 1
  while true do
    local first, last = line:find(WORD, pos)
    if not first then
      return words
    end
    if n >= MAX_WORDS then
      return nil, "Too many arguments to command"
    end
    n = n + 1
    words[n] = line:sub(first, last)
    pos = last + 1
  end
end

-- The words of one logical line, or nil and the reason, and for a quote
-- left open at the end of the line that quote (the prompt completes a
-- name inside it).
function M.split(line)
  if not find(line, '"', 1, true) and not find(line, "'", 1, true) then
    return split_plain(line)
  end
  local words, pos = {}, 1
  while true do
    pos = line:find("[^ \t\r\n]", pos)
    if not pos then
      return words
    end
    if #words >= MAX_WORDS then
      return nil, "Too many arguments to command"
    end
    local c = line:sub(pos, pos)
    if c == '"' or c == "'" then
      local close = line:find(c, pos + 1, true)
      if not close then
        return nil, "Unterminated quoted string", c
      end
      words[#words + 1] = line:sub(pos + 1, close - 1)
      pos = close + 1
    else
      local stop = line:find("[ \t\r\n]", pos) or #line + 1
      words[#words + 1] = line:sub(pos, stop - 1)
      pos = stop
    end
  end
end

-- What follows the prefix on a line plain_lines takes: one word with
-- nothing split, strip_comment or a continuation would act on, which is
-- then the line's last word as M.split gives it.
local PLAIN_WORD = "^([^%c \"'#/\\]+)\n?$"

-- A reader of the commands of file handle fh:
--
-- reader.command() gives the words of the next command and the number of
-- the last physical line they came from, or false and a message (a word
-- error, fatal) or nil at the end. A file that ends inside a
-- continuation gives false, message, "eof".
--
-- reader.plain_lines(prefix, accept, words, linenos, max) reads on while
-- #words < max and each line is prefix and then a plain word that
-- accept(word) takes: commands with the words of prefix split and then
-- that one. It adds each word and its line number to the lists. The
-- first other line is command()'s next. A batch reads runs of add or
-- delete lines this way: a line read and split took 2 us, where the
-- kernel takes some 15 us to delete a name.
function M.reader(fh)
  local lineno, pending, ended = 0, nil, false
  local read = fh.read

  local function next_line()
    local line = pending
    if line then
      pending = nil
    elseif not ended then
      line = read(fh, "L")
      ended = line == nil
    end
    if line then
      lineno = lineno + 1
    end
    return line
  end

  local r = {}

  function r.command()
    while true do
      local line = next_line()
      if not line then
        return nil
      end
      line = strip_comment(line)
      while byte(line, -1) == NEWLINE and byte(line, -2) == BACKSLASH do
        local nextline = next_line()
        if not nextline then
          return false, "Missing continuation line", "eof"
        end
        line = sub(line, 1, -3) .. strip_comment(nextline)
      end
      local words, msg = M.split(line)
      if not words then
        return false, msg
      end
      if #words > 0 then
        return words, lineno
      end
    end
  end

  function r.plain_lines(prefix, accept, words, linenos, max)
    local after = #prefix + 1
    local n = #words
    while n < max and not pending and not ended do
      local line = read(fh, "L")
      ended = line == nil
      local word = line and sub(line, 1, after - 1) == prefix and
        match(line, PLAIN_WORD, after)
      if not (word and accept(word)) then
        pending = line
        return
      end
      lineno = lineno + 1
      n = n + 1
      words[n], linenos[n] = word, lineno
    end
  end

  return r
end

-- An iterator over the commands of file handle fh, as reader.command.
function M.commands(fh)
  return M.reader(fh).command
end

return M

-- Batch files: the line syntax of `ip -batch`. A `#` anywhere ends the
-- line; a backslash right before the newline joins the next line; words
-- split on blanks, and a word that starts with a quote runs to the next
-- same quote, with no escapes inside.

local M = {}

local MAX_WORDS = 511
local NEWLINE, BACKSLASH = ("\n\\"):byte(1, 2)

-- A NUL ends the line too: the commands take C strings, and a word cut
-- short there must not act on some other name (ip reads it the same).
local function strip_comment(line)
  local stop = line:find("#", 1, true)
  local nul = line:find("\0", 1, true)
  if nul and (not stop or nul < stop) then
    stop = nul
  end
  if stop then
    return line:sub(1, stop - 1)
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
  local a, b, c = line:match(THREE)
  if a then
    return { a, b, c }
  end
  a, b = line:match(TWO)
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
  if not line:find('"', 1, true) and not line:find("'", 1, true) then
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

-- An iterator over the commands of file handle fh: each step gives the
-- words and the number of the last physical line they came from, or
-- false and a message (a word error, fatal) or nil at the end. A file
-- that ends inside a continuation gives false, message, "eof".
function M.commands(fh)
  local lineno = 0
  return function()
    while true do
      local line = fh:read("L")
      if not line then
        return nil
      end
      lineno = lineno + 1
      line = strip_comment(line)
      while line:byte(-1) == NEWLINE and line:byte(-2) == BACKSLASH do
        local nextline = fh:read("L")
        if not nextline then
          return false, "Missing continuation line", "eof"
        end
        lineno = lineno + 1
        line = line:sub(1, -3) .. strip_comment(nextline)
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
end

return M

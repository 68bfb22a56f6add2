-- JSON text in iproute2's layout: compact on one line, or "pretty" with
-- its own placement of spaces and newlines, which scripts already parse
-- and people already read. Keys keep the order they are written in.

local M = {}

local ESCAPES = {
  ["\t"] = "\\t", ["\n"] = "\\n", ["\r"] = "\\r", ["\f"] = "\\f",
  ["\b"] = "\\b", ["\\"] = "\\\\", ['"'] = '\\"',
}

-- iproute2 escapes these; the other control characters, which it prints
-- raw (making the JSON invalid), are written as \u00XX. Other bytes,
-- UTF-8 included, pass unchanged.
local function escape(c)
  return ESCAPES[c] or ("\\u%04x"):format(c:byte())
end

function M.quote(s)
  return '"' .. s:gsub('[%c\\"]', escape) .. '"'
end

local function scalar(v)
  local t = type(v)
  if t == "string" then
    return M.quote(v)
  elseif t == "boolean" then
    return tostring(v)
  elseif math.type(v) == "integer" then
    return tostring(v)
  elseif t == "number" then
    return ("%.17g"):format(v)
  end
  error("cannot write a " .. t .. " as JSON", 3)
end

local Writer = {}
Writer.__index = Writer

function M.writer(pretty)
  return setmetatable({ out = {}, depth = 0, sep = "", pretty = pretty },
    Writer)
end

function Writer:put(s)
  self.out[#self.out + 1] = s
end

function Writer:newline()
  if self.pretty then
    self:put("\n" .. ("    "):rep(self.depth))
  end
end

function Writer:separate()
  self:put(self.sep)
  self.sep = ","
end

function Writer:open(c)
  self:separate()
  self:put(c)
  self.depth = self.depth + 1
  self.sep = ""
end

function Writer:close(c)
  self.depth = self.depth - 1
  if self.sep ~= "" then
    self:newline()
  end
  self:put(c)
  self.sep = ","
end

function Writer:start_array()
  self:open("[")
  if self.pretty then
    self:put(" ")
  end
end

function Writer:end_array()
  if self.pretty and self.sep ~= "" then
    self:put(" ")
  end
  self.sep = ""
  self:close("]")
end

function Writer:start_object()
  self:open("{")
end

function Writer:end_object()
  self:close("}")
end

function Writer:key(k)
  self:separate()
  self:newline()
  self.sep = ""
  self:put(M.quote(k) .. (self.pretty and ": " or ":"))
end

function Writer:value(v)
  self:separate()
  self:put(scalar(v))
end

-- k, v pairs in order; a nil v leaves the key out.
function Writer:fields(...)
  for i = 1, select("#", ...), 2 do
    local k, v = select(i, ...)
    if v ~= nil then
      self:key(k)
      self:value(v)
    end
  end
end

function Writer:text()
  return table.concat(self.out)
end

-- The text written since the last take, for output made piece by piece.
function Writer:take()
  local s = table.concat(self.out)
  self.out = {}
  return s
end

return M

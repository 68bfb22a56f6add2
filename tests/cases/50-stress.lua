-- Races: several netns processes adding, attaching and deleting the same
-- names at once, thousands of operations, bounded in time. Every one must
-- succeed or fail with one of the clear messages below, and afterwards
-- every name must be a live namespace mount and every such mount have
-- its name. Figures of the last run are in the README's report.

local WORKERS, LINES, NAMES = 4, 600, 12

-- A fixed sequence, so that a failure can be replayed.
local function batch_file(seed)
  local x, t = seed, {}
  local function rand(n)
    x = (x * 1103515245 + 12345) % 2147483648
    return x % n
  end
  for i = 1, LINES do
    local name, op = "s" .. rand(NAMES), rand(5)
    if op <= 1 then
      t[i] = "add " .. name
    elseif op == 2 then
      t[i] = "attach " .. name .. " PID"
    else
      t[i] = "delete " .. name
    end
  end
  return table.concat(t, "\n") .. "\n"
end

local files = {}
for w = 1, WORKERS do
  files["W" .. w] = batch_file(w * 7919)
end

local CHECK = [==[
# every message is one of those an operation may end with
exists='Cannot create namespace file "/run/netns/s[0-9]+": File exists'
gone='Cannot remove namespace file "/run/netns/s[0-9]+": No such file or'
gone="$gone directory"
failed='Command failed .*W[0-9]:[0-9]+'
grep -v -E "^($exists|$gone|$failed)\$" $T/err.* && exit 1
# every name is a namespace mount, and every such mount has its name
for n in $(ls /run/netns); do
  grep -q " /run/netns/$n .* - nsfs " /proc/self/mountinfo || exit 2
done
for m in $(awk '$5 ~ "^/run/netns/" && $9 == "nsfs" { print $5 }' \
    /proc/self/mountinfo); do
  [ -e "$m" ] || exit 3
done
# no mount is stacked twice on one name
[ -z "$(awk '$5 ~ "^/run/netns/" && $9 == "nsfs" { print $5 }' \
  /proc/self/mountinfo | sort | uniq -d)" ] || exit 4
]==]

return {
  {
    name = "stress: concurrent batches of add, attach and delete",
    files = files,
    cmd = [[
spawn S unshare -n sleep 600
await_comm $S sleep
pids=
for w in 1 2 3 4; do
  eval f=\$W$w
  sed -i "s/PID/$S/" $f
  timeout 300 $NS -force -batch $f > $T/out.w$w 2> $T/err.w$w &
  pids="$pids $!"
done
wait $pids
echo ops=$(cat $W1 $W2 $W3 $W4 | wc -l)
echo failed=$(cat $T/err.w* | grep -c '^Command failed')]],
    check = CHECK .. [[
grep -q "^ops=2400$" $T/out.1 && ! grep -q '^failed=0$' $T/out.1]],
    skip_effects = true,
    expect = { rc = 0 },
    timeout = 600,
  },
  {
    name = "stress: one process per operation, four at a time",
    cmd = [[
spawn S unshare -n sleep 600
await_comm $S sleep
pids=
for w in 1 2 3 4; do
  (
    i=0
    while [ $i -lt 150 ]; do
      n=s$(( (i * 7 + w) % 5 ))
      case $(( (i + w) % 3 )) in
      0) timeout 30 $NS add $n ;;
      1) timeout 30 $NS attach $n $S ;;
      *) timeout 30 $NS delete $n ;;
      esac
      i=$((i + 1))
    done
  ) 2> $T/err.p$w &
  pids="$pids $!"
done
wait $pids
echo done]],
    check = CHECK,
    skip_effects = true,
    expect = { out = "done\n", rc = 0 },
    timeout = 600,
  },
}

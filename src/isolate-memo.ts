// A function's answers remembered for the life of the isolate, which serves request after
// request for the same few people. Bounded, since the keys come from outside: when full it
// starts over rather than tracking which entry is oldest. `key` names the arguments (by
// default the first one, for one-argument functions).
export function isolateMemo<Args extends unknown[], V>(
  compute: (...args: Args) => V,
  key: (...args: Args) => string = (...args) => String(args[0]),
  max = 1000,
): (...args: Args) => V {
  const answers = new Map<string, V>();
  return (...args) => {
    const name = key(...args);
    const known = answers.get(name);
    if (known !== undefined || answers.has(name)) return known as V;
    const answer = compute(...args);
    if (answers.size >= max) answers.clear();
    answers.set(name, answer);
    return answer;
  };
}

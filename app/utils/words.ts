/** A count and its noun: "1 answer", "1,204 views". */
export function plural(count: number, noun: string) {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}

import { groupLength } from './store';

const KB = 1024;
const MB = 1024 * KB;

describe('groupLength: how many waiting messages go in the next store group', () => {
  it.each([
    ['nothing waiting', [], 0],
    ['a lone message goes at once', [4 * KB], 1],
    ['everything waiting, when it fits', [4 * KB, 4 * KB, 50 * KB], 3],
    ['at most 32 by count', Array(40).fill(4 * KB), 32],
    ['up to 8 MB in all', Array(20).fill(MB), 8],
    ['a 25 MB message goes alone', [25 * MB, 4 * KB, 4 * KB], 1],
    ['a message that does not fit waits, and the ones behind it with it', [7 * MB, 2 * MB, 4 * KB], 1],
    ['a large one behind small ones waits for the next group', [4 * KB, 4 * KB, 25 * MB, 4 * KB], 2],
  ])('%s', (_what, sizes: number[], expected: number) => {
    expect(groupLength(sizes)).toBe(expected);
  });
});

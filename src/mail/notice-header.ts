// The header Aster puts on every letter it sends, valued with the delivery's (or letter's) id. With
// Auto-Submitted it is how the intake recognises one of our own letters coming back (intake/loop.ts),
// so the letters and the loop check must spell it the same: both read it from here.
export const NOTICE_HEADER = 'X-Aster-Notice';

/**
 * How many people the history's list draws at first (the newest), and how many more each "Show earlier" adds.
 * Apart from the element, so that tests in Node can read them.
 */
export const ROWS_AT_FIRST = 100;
export const ROWS_MORE = 200;

// The form intent of "Refresh now", shared by the pages' actions and their button.
export const REFRESH_INTENT = "refresh-snapshot";

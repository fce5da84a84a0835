import { unknownApiPath } from "~/api/endpoint.server";

// Anything under /api that no route serves: a JSON 404 (never the console's HTML not-found page).

export const loader = unknownApiPath;
export const action = unknownApiPath;

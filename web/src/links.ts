// Links to the pages: the fragment carries the token, so the browser never
// sends it in a request line or a Referer header.
export const seatLink = (id: string, token: string) => `#/seat/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;
export const watchLink = (id: string, token: string) => `#/watch/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;
export const mediateLink = (id: string, token: string) => `#/mediate/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;
export const exploreLink = (id: string, token: string) => `#/explore/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;

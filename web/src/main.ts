// Parley's web UI: routes on the URL's fragment (#/, #/seat/ID/TOKEN,
// #/mediate/ID/TOKEN, #/watch/ID/TOKEN[/STEP], #/explore/ID/TOKEN,
// #/results[/NAME[/replay/RUN]]).
import "./style.css";
import { home } from "./home";
import { seat } from "./seat";
import { watch } from "./watch";
import { mediate } from "./mediate";
import { explore } from "./explore";
import { results } from "./results";

let leave: (() => void) | void;

function route() {
  const root = document.getElementById("app")!;
  if (leave) leave();
  leave = undefined;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (parts[0] === "seat" && parts.length === 3) {
    document.title = "Your seat · Parley";
    leave = seat(root, parts[1], parts[2]);
  } else if (parts[0] === "mediate" && parts.length === 3) {
    document.title = "The mediator's chair · Parley";
    leave = mediate(root, parts[1], parts[2]);
  } else if (parts[0] === "watch" && (parts.length === 3 || parts.length === 4 && /^\d+$/.test(parts[3]))) {
    document.title = `${parts[1]} · Parley`;
    leave = watch(root, parts[1], parts[2], parts.length === 4 ? Number(parts[3]) : undefined);
  } else if (parts[0] === "explore" && parts.length === 3) {
    document.title = `Outcome space of ${parts[1]} · Parley`;
    leave = explore(root, parts[1], parts[2]);
  } else if (parts[0] === "results" && (parts.length <= 2 || parts.length === 4 && parts[2] === "replay" && /^\d+$/.test(parts[3]))) {
    document.title = "Results · Parley";
    leave = results(root, parts[1] || undefined, parts.length === 4 ? Number(parts[3]) : undefined);
  } else {
    document.title = "Parley";
    leave = home(root);
  }
}

window.addEventListener("hashchange", route);
route();

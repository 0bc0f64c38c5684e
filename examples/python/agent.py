#!/usr/bin/env python3
"""A remote Parley agent in Python 3, standard library only.

It takes a seat of a negotiation on a `parley serve` server and plays a
Boulware strategy (a time-dependent concession, Faratin et al. 1998) to the
end, over REST with long polling (docs/server.md):

    python3 agent.py URL                  # create a ceasefire negotiation, play UA
    python3 agent.py URL ID SEAT_TOKEN    # play the seat of negotiation ID

It reads its utilities from its seat's `session` event, offers the outcome
it likes least among those at or above its target, accepts an offer at or
above it, and never crosses its own red lines.
"""
import bisect
import json
import sys
import time
import urllib.error
import urllib.request


def call(url, token="", body=None):
    """One JSON request; it waits and retries when rate limited (429)."""
    data = None if body is None else json.dumps(body).encode()
    while True:
        req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=90) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as err:
            if err.code != 429:
                sys.exit(f"{req.method} {url}: {err.code} {err.read().decode().strip()}")
            time.sleep(0.2)


def target(t, low, high, e=0.2):
    """Boulware's aspiration at time t in [0, 1]: it concedes late (e < 1)."""
    return low + (high - low) * (1 - t ** (1 / e))


def main(url, nid=None, token=None):
    if nid is None:  # a ceasefire negotiation: RU and US are built in, UA is us
        seats = [{"kind": "strategy", "spec": "boulware"}, {"kind": "remote"}, {"kind": "strategy", "spec": "conceder"}]
        made = call(url + "/negotiations", body={"scenario": "ceasefire", "seats": seats})
        nid, token = made["id"], made["tokens"]["seats"][1]
    after, turns, issues, names = 0, 0, [], []
    while True:
        page = call(f"{url}/negotiations/{nid}/events?after={after}&wait=30", token)
        for e in page["events"]:
            after = e["seq"]
            if e["type"] == "created":
                issues, names = e["created"]["issues"], e["created"]["parties"]
            elif e["type"] == "session":
                me = e["session"]
                u = me["utilities"]
                banned = {(r["issue"], r["value"]) for r in me.get("red_lines") or []}
                ok = [o for o in range(len(u)) if not crosses(o, issues, banned)]
                ok.sort(key=u.__getitem__)  # allowed outcomes, least liked first
                ranks = [u[o] for o in ok]
                low, high = max(me["reservation"], ranks[0]), ranks[-1]
            elif e["type"] == "turn":
                turn = e["turn"]
                aim = target(turn["time"], low, high)
                standing = turn["standing"]
                if standing >= 0 and u[standing] >= aim and not crosses(standing, issues, banned):
                    act = {"step": turn["step"], "action": "accept"}
                else:  # the least liked outcome at or above the aim
                    k = min(bisect.bisect_left(ranks, aim), len(ok) - 1)
                    act = {"step": turn["step"], "action": "offer", "outcome": ok[k]}
                call(f"{url}/negotiations/{nid}/actions", token, act)
                turns += 1
            elif e["type"] == "ended":
                end = e["ended"]
                who = f" ({names[end['party']]})" if end["party"] >= 0 else ""
                print(f"ended: {end['reason']}{who} after {end['rounds']} rounds; {turns} turns played")
            elif e["type"] == "result":
                print(f"my utility: {e['result']['utility']:.3f}")
        if page["complete"]:
            return


def crosses(o, issues, banned):
    """Whether outcome o (its index: the first issue most significant) takes a banned value."""
    for issue in reversed(issues):
        o, k = divmod(o, len(issue["values"]))
        if (issue["name"], issue["values"][k]) in banned:
            return True
    return False


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4):
        sys.exit("usage: agent.py URL [NEGOTIATION_ID SEAT_TOKEN]")
    main(*sys.argv[1:])

package anac

// jtree reproduces the node structure of a java.util.TreeMap (a red-black
// tree after Cormen, Leiserson and Rivest) holding positions of
// HardHeaded's bid list, so that HardHeaded picks its bids as
// KLH.chooseAction does with its local TreeMap newBids.
//
// KLH queues the entries its selection loop picks, then removes each
// from the map by its key. The entries it queues are the map's own nodes
// (those of entrySet()), except the first candidate, lastEntry(), which
// is a copy. A TreeMap that removes a node with two children copies its
// successor's key and value into that node and unlinks the successor's
// node instead; a queued node so overwritten now holds its successor's
// bid, which may later be picked and queued again. The queue KLH offers
// from therefore repeats some bids and lacks others (on
// England-Zimbabwe, near round 172, it never offers the bid its model
// rates best). To reproduce that, the tree must have exactly TreeMap's
// shape: the same insertion and deletion fix-ups.
type jtree struct {
	n    []jnode
	root int32
}

// jnode is a node of jtree; jnil stands for no node (a black leaf).
type jnode struct {
	pos    int      // the bid's list position: the node's key and value
	ch     [2]int32 // left (0) and right (1) children
	parent int32
	black  bool
}

const jnil int32 = -1

func (t *jtree) reset() {
	t.n = t.n[:0]
	t.root = jnil
}

func (t *jtree) isBlack(x int32) bool { return x == jnil || t.n[x].black }

func (t *jtree) setBlack(x int32, b bool) {
	if x != jnil {
		t.n[x].black = b
	}
}

func (t *jtree) parent(x int32) int32 {
	if x == jnil {
		return jnil
	}
	return t.n[x].parent
}

// child returns x's left (d = 0) or right (d = 1) child.
func (t *jtree) child(x int32, d int) int32 {
	if x == jnil {
		return jnil
	}
	return t.n[x].ch[d]
}

// side returns 0 when x is its parent's left child, else 1.
func (t *jtree) side(x int32) int {
	if x == t.child(t.parent(x), 0) {
		return 0
	}
	return 1
}

// put inserts pos (TreeMap.put of a new key; a key already present is
// left as it is).
func (t *jtree) put(pos int) {
	x, p, d := t.root, jnil, 0
	for x != jnil {
		p = x
		switch {
		case pos < t.n[x].pos:
			d = 0
		case pos > t.n[x].pos:
			d = 1
		default:
			return
		}
		x = t.n[x].ch[d]
	}
	t.n = append(t.n, jnode{pos: pos, ch: [2]int32{jnil, jnil}, parent: p, black: true})
	x = int32(len(t.n) - 1)
	if p == jnil {
		t.root = x
		return
	}
	t.n[p].ch[d] = x
	t.fixAfterInsertion(x)
}

// rotate turns p down towards d (d = 0: TreeMap.rotateLeft, its right
// child rises; d = 1: rotateRight).
func (t *jtree) rotate(p int32, d int) {
	if p == jnil {
		return
	}
	r := t.n[p].ch[1-d]
	t.n[p].ch[1-d] = t.n[r].ch[d]
	if c := t.n[r].ch[d]; c != jnil {
		t.n[c].parent = p
	}
	pp := t.n[p].parent
	t.n[r].parent = pp
	if pp == jnil {
		t.root = r
	} else {
		t.n[pp].ch[t.side(p)] = r
	}
	t.n[r].ch[d] = p
	t.n[p].parent = r
}

func (t *jtree) fixAfterInsertion(x int32) {
	t.n[x].black = false
	for x != jnil && x != t.root && !t.isBlack(t.n[x].parent) {
		px := t.parent(x)
		gx := t.parent(px)
		d := t.side(px)
		if y := t.child(gx, 1-d); !t.isBlack(y) {
			t.setBlack(px, true)
			t.setBlack(y, true)
			t.setBlack(gx, false)
			x = gx
			continue
		}
		if x == t.child(px, 1-d) {
			x = px
			t.rotate(x, d)
		}
		t.setBlack(t.parent(x), true)
		t.setBlack(t.parent(t.parent(x)), false)
		t.rotate(t.parent(t.parent(x)), 1-d)
	}
	t.n[t.root].black = true
}

// extreme returns the node of the smallest (d = 0) or largest (d = 1)
// key, or jnil.
func (t *jtree) extreme(d int) int32 {
	x := t.root
	for x != jnil && t.n[x].ch[d] != jnil {
		x = t.n[x].ch[d]
	}
	return x
}

// next returns the in-order successor of x, or jnil.
func (t *jtree) next(x int32) int32 {
	if r := t.n[x].ch[1]; r != jnil {
		for t.n[r].ch[0] != jnil {
			r = t.n[r].ch[0]
		}
		return r
	}
	p := t.n[x].parent
	for p != jnil && x == t.n[p].ch[1] {
		x, p = p, t.n[p].parent
	}
	return p
}

// find returns the node holding pos, or jnil.
func (t *jtree) find(pos int) int32 {
	x := t.root
	for x != jnil && t.n[x].pos != pos {
		if pos < t.n[x].pos {
			x = t.n[x].ch[0]
		} else {
			x = t.n[x].ch[1]
		}
	}
	return x
}

// remove deletes pos (TreeMap.remove): a node with two children takes
// its successor's position, and the successor's node is unlinked.
func (t *jtree) remove(pos int) {
	p := t.find(pos)
	if p == jnil {
		return
	}
	if t.n[p].ch[0] != jnil && t.n[p].ch[1] != jnil {
		s := t.next(p)
		t.n[p].pos = t.n[s].pos
		p = s
	}
	repl := t.n[p].ch[0]
	if repl == jnil {
		repl = t.n[p].ch[1]
	}
	switch pp := t.n[p].parent; {
	case repl != jnil:
		t.n[repl].parent = pp
		if pp == jnil {
			t.root = repl
		} else {
			t.n[pp].ch[t.side(p)] = repl
		}
		t.n[p].ch, t.n[p].parent = [2]int32{jnil, jnil}, jnil
		if t.n[p].black {
			t.fixAfterDeletion(repl)
		}
	case pp == jnil:
		t.root = jnil
	default:
		if t.n[p].black {
			t.fixAfterDeletion(p) // p stands in for its missing child
		}
		if pp := t.n[p].parent; pp != jnil {
			t.n[pp].ch[t.side(p)] = jnil
			t.n[p].parent = jnil
		}
	}
}

func (t *jtree) fixAfterDeletion(x int32) {
	for x != t.root && t.isBlack(x) {
		d := t.side(x)
		sib := t.child(t.parent(x), 1-d)
		if !t.isBlack(sib) {
			t.setBlack(sib, true)
			t.setBlack(t.parent(x), false)
			t.rotate(t.parent(x), d)
			sib = t.child(t.parent(x), 1-d)
		}
		if t.isBlack(t.child(sib, 0)) && t.isBlack(t.child(sib, 1)) {
			t.setBlack(sib, false)
			x = t.parent(x)
			continue
		}
		if t.isBlack(t.child(sib, 1-d)) {
			t.setBlack(t.child(sib, d), true)
			t.setBlack(sib, false)
			t.rotate(sib, 1-d)
			sib = t.child(t.parent(x), 1-d)
		}
		t.setBlack(sib, t.isBlack(t.parent(x)))
		t.setBlack(t.parent(x), true)
		t.setBlack(t.child(sib, 1-d), true)
		t.rotate(t.parent(x), d)
		x = t.root
	}
	t.setBlack(x, true)
}

// hhPicks returns in picks (of length hhTop+1) the list positions in lo..hi
// of the bids KLH.chooseAction queues, in queue order, when more than
// hhTop bids are within its window: the window goes into a TreeMap from
// hi down to lo; five times the loop starts from a copy of the last entry
// and takes, scanning the map in ascending order, every strictly better
// entry by score, queues it and removes its key from the map. A queued
// node of the map may be overwritten by a later removal (see jtree), so
// the queue may hold a bid twice and miss the best one.
func (t *jtree) hhPicks(lo, hi int, score func(int) float64, picks []int) {
	t.reset()
	for i := hi; i >= lo; i-- {
		t.put(i)
	}
	var nodes [hhTop + 1]int32 // the queued node, or jnil for a copy
	for k := range picks {
		last := t.extreme(1)
		best, bestNode := t.n[last].pos, jnil // lastEntry() is a copy
		bu := score(best)
		for x := t.extreme(0); x != jnil; x = t.next(x) {
			if v := score(t.n[x].pos); v > bu {
				best, bestNode, bu = t.n[x].pos, x, v
			}
		}
		picks[k], nodes[k] = best, bestNode
		t.remove(best)
	}
	for k, x := range nodes[:len(picks)] {
		if x != jnil {
			picks[k] = t.n[x].pos
		}
	}
}

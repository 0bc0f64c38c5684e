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
	pos                 int // the bid's list position: the node's key and value
	left, right, parent int32
	black               bool
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

func (t *jtree) left(x int32) int32 {
	if x == jnil {
		return jnil
	}
	return t.n[x].left
}

func (t *jtree) right(x int32) int32 {
	if x == jnil {
		return jnil
	}
	return t.n[x].right
}

// put inserts pos (TreeMap.put of a new key; a key already present is
// left as it is).
func (t *jtree) put(pos int) {
	if t.root == jnil {
		t.n = append(t.n, jnode{pos: pos, left: jnil, right: jnil, parent: jnil, black: true})
		t.root = int32(len(t.n) - 1)
		return
	}
	x, p := t.root, jnil
	for x != jnil {
		p = x
		switch {
		case pos < t.n[x].pos:
			x = t.n[x].left
		case pos > t.n[x].pos:
			x = t.n[x].right
		default:
			return
		}
	}
	t.n = append(t.n, jnode{pos: pos, left: jnil, right: jnil, parent: p, black: true})
	x = int32(len(t.n) - 1)
	if pos < t.n[p].pos {
		t.n[p].left = x
	} else {
		t.n[p].right = x
	}
	t.fixAfterInsertion(x)
}

func (t *jtree) rotateLeft(p int32) {
	if p == jnil {
		return
	}
	r := t.n[p].right
	t.n[p].right = t.n[r].left
	if l := t.n[r].left; l != jnil {
		t.n[l].parent = p
	}
	t.n[r].parent = t.n[p].parent
	switch pp := t.n[p].parent; {
	case pp == jnil:
		t.root = r
	case t.n[pp].left == p:
		t.n[pp].left = r
	default:
		t.n[pp].right = r
	}
	t.n[r].left = p
	t.n[p].parent = r
}

func (t *jtree) rotateRight(p int32) {
	if p == jnil {
		return
	}
	l := t.n[p].left
	t.n[p].left = t.n[l].right
	if r := t.n[l].right; r != jnil {
		t.n[r].parent = p
	}
	t.n[l].parent = t.n[p].parent
	switch pp := t.n[p].parent; {
	case pp == jnil:
		t.root = l
	case t.n[pp].right == p:
		t.n[pp].right = l
	default:
		t.n[pp].left = l
	}
	t.n[l].right = p
	t.n[p].parent = l
}

func (t *jtree) fixAfterInsertion(x int32) {
	t.n[x].black = false
	for x != jnil && x != t.root && !t.isBlack(t.n[x].parent) {
		px := t.parent(x)
		gx := t.parent(px)
		if px == t.left(gx) {
			y := t.right(gx)
			if !t.isBlack(y) {
				t.setBlack(px, true)
				t.setBlack(y, true)
				t.setBlack(gx, false)
				x = gx
				continue
			}
			if x == t.right(px) {
				x = px
				t.rotateLeft(x)
			}
			t.setBlack(t.parent(x), true)
			t.setBlack(t.parent(t.parent(x)), false)
			t.rotateRight(t.parent(t.parent(x)))
		} else {
			y := t.left(gx)
			if !t.isBlack(y) {
				t.setBlack(px, true)
				t.setBlack(y, true)
				t.setBlack(gx, false)
				x = gx
				continue
			}
			if x == t.left(px) {
				x = px
				t.rotateRight(x)
			}
			t.setBlack(t.parent(x), true)
			t.setBlack(t.parent(t.parent(x)), false)
			t.rotateLeft(t.parent(t.parent(x)))
		}
	}
	t.n[t.root].black = true
}

// first returns the node of the smallest key, or jnil.
func (t *jtree) first() int32 {
	x := t.root
	for x != jnil && t.n[x].left != jnil {
		x = t.n[x].left
	}
	return x
}

// last returns the node of the largest key, or jnil.
func (t *jtree) last() int32 {
	x := t.root
	for x != jnil && t.n[x].right != jnil {
		x = t.n[x].right
	}
	return x
}

// next returns the in-order successor of x, or jnil.
func (t *jtree) next(x int32) int32 {
	if r := t.n[x].right; r != jnil {
		for t.n[r].left != jnil {
			r = t.n[r].left
		}
		return r
	}
	p := t.n[x].parent
	for p != jnil && x == t.n[p].right {
		x, p = p, t.n[p].parent
	}
	return p
}

// find returns the node holding pos, or jnil.
func (t *jtree) find(pos int) int32 {
	x := t.root
	for x != jnil {
		switch {
		case pos < t.n[x].pos:
			x = t.n[x].left
		case pos > t.n[x].pos:
			x = t.n[x].right
		default:
			return x
		}
	}
	return jnil
}

// remove deletes pos (TreeMap.remove): a node with two children takes
// its successor's position, and the successor's node is unlinked.
func (t *jtree) remove(pos int) {
	p := t.find(pos)
	if p == jnil {
		return
	}
	if t.n[p].left != jnil && t.n[p].right != jnil {
		s := t.next(p)
		t.n[p].pos = t.n[s].pos
		p = s
	}
	repl := t.n[p].left
	if repl == jnil {
		repl = t.n[p].right
	}
	switch {
	case repl != jnil:
		pp := t.n[p].parent
		t.n[repl].parent = pp
		switch {
		case pp == jnil:
			t.root = repl
		case p == t.n[pp].left:
			t.n[pp].left = repl
		default:
			t.n[pp].right = repl
		}
		t.n[p].left, t.n[p].right, t.n[p].parent = jnil, jnil, jnil
		if t.n[p].black {
			t.fixAfterDeletion(repl)
		}
	case t.n[p].parent == jnil:
		t.root = jnil
	default:
		if t.n[p].black {
			t.fixAfterDeletion(p)
		}
		if pp := t.n[p].parent; pp != jnil {
			if p == t.n[pp].left {
				t.n[pp].left = jnil
			} else if p == t.n[pp].right {
				t.n[pp].right = jnil
			}
			t.n[p].parent = jnil
		}
	}
}

func (t *jtree) fixAfterDeletion(x int32) {
	for x != t.root && t.isBlack(x) {
		if x == t.left(t.parent(x)) {
			sib := t.right(t.parent(x))
			if !t.isBlack(sib) {
				t.setBlack(sib, true)
				t.setBlack(t.parent(x), false)
				t.rotateLeft(t.parent(x))
				sib = t.right(t.parent(x))
			}
			if t.isBlack(t.left(sib)) && t.isBlack(t.right(sib)) {
				t.setBlack(sib, false)
				x = t.parent(x)
				continue
			}
			if t.isBlack(t.right(sib)) {
				t.setBlack(t.left(sib), true)
				t.setBlack(sib, false)
				t.rotateRight(sib)
				sib = t.right(t.parent(x))
			}
			t.setBlack(sib, t.isBlack(t.parent(x)))
			t.setBlack(t.parent(x), true)
			t.setBlack(t.right(sib), true)
			t.rotateLeft(t.parent(x))
			x = t.root
		} else {
			sib := t.left(t.parent(x))
			if !t.isBlack(sib) {
				t.setBlack(sib, true)
				t.setBlack(t.parent(x), false)
				t.rotateRight(t.parent(x))
				sib = t.left(t.parent(x))
			}
			if t.isBlack(t.right(sib)) && t.isBlack(t.left(sib)) {
				t.setBlack(sib, false)
				x = t.parent(x)
				continue
			}
			if t.isBlack(t.left(sib)) {
				t.setBlack(t.right(sib), true)
				t.setBlack(sib, false)
				t.rotateLeft(sib)
				sib = t.left(t.parent(x))
			}
			t.setBlack(sib, t.isBlack(t.parent(x)))
			t.setBlack(t.parent(x), true)
			t.setBlack(t.left(sib), true)
			t.rotateRight(t.parent(x))
			x = t.root
		}
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
		last := t.last()
		best, bestNode := t.n[last].pos, jnil // lastEntry() is a copy
		bu := score(best)
		for x := t.first(); x != jnil; x = t.next(x) {
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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfq_rbtree.h: the subset of the kernel rbtree API that cfq-sched.c uses,
 * for building it in userspace.  A plain (unbalanced) binary search tree
 * with parent pointers: the same order and the same operations, without
 * the balancing that only matters for speed.
 *
 * The kernel's userspace copy (tools/lib/rbtree.c) needs the tools/include
 * folder on the include path, which the selftests Makefile does not pass.
 */
#ifndef _CFQ_RBTREE_H
#define _CFQ_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#define CFQ_HAVE_RBTREE 1

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

struct rb_node {
	struct rb_node *parent;
	struct rb_node *rb_left;
	struct rb_node *rb_right;
};

struct rb_root {
	struct rb_node *rb_node;
};

struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

#define RB_ROOT		((struct rb_root) { NULL })
#define RB_ROOT_CACHED	((struct rb_root_cached) { { NULL }, NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define RB_EMPTY_ROOT(root)	((root)->rb_node == NULL)
#define RB_EMPTY_NODE(node)	((node)->parent == (node))
#define RB_CLEAR_NODE(node)	((node)->parent = (node))

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->parent = parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

static inline struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

static inline struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = node->parent) && node == parent->rb_right)
		node = parent;
	return parent;
}

static inline struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = node->parent) && node == parent->rb_left)
		node = parent;
	return parent;
}

static inline void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
}

static inline void rb_insert_color_cached(struct rb_node *node,
					  struct rb_root_cached *root,
					  bool leftmost)
{
	if (leftmost)
		root->rb_leftmost = node;
}

static inline void __rb_replace(struct rb_node *parent, struct rb_node *old,
				struct rb_node *new, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->parent = parent;
}

static inline void rb_erase(struct rb_node *n, struct rb_root *root)
{
	if (!n->rb_left) {
		__rb_replace(n->parent, n, n->rb_right, root);
	} else if (!n->rb_right) {
		__rb_replace(n->parent, n, n->rb_left, root);
	} else {
		struct rb_node *s = n->rb_right;

		while (s->rb_left)
			s = s->rb_left;
		if (s->parent != n) {
			__rb_replace(s->parent, s, s->rb_right, root);
			s->rb_right = n->rb_right;
			s->rb_right->parent = s;
		}
		__rb_replace(n->parent, n, s, root);
		s->rb_left = n->rb_left;
		s->rb_left->parent = s;
	}
}

static inline void rb_erase_cached(struct rb_node *node,
				   struct rb_root_cached *root)
{
	if (root->rb_leftmost == node)
		root->rb_leftmost = rb_next(node);
	rb_erase(node, &root->rb_root);
}

static inline struct rb_node *rb_first_cached(const struct rb_root_cached *root)
{
	return root->rb_leftmost;
}

#endif /* _CFQ_RBTREE_H */

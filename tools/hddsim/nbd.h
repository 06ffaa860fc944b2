/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hddsim's side of NBD: the device set up with the nbd ioctls, and the
 * requests and replies on the socket.
 */
#ifndef HDDSIM_NBD_H
#define HDDSIM_NBD_H

#include <stdint.h>

#include "hddsim.h"
#include "queue.h"

struct nbd_conn {
	int sock_fd; /* our end */
	int kern_fd; /* the kernel's end, -1: not ours (--socket-fd) */
	int sndbuf; /* the kernel end's SO_SNDBUF, 0: the default */
};

struct nbd_dev {
	char name[32]; /* nbd0 */
	int fd;
	int rot_set; /* we turned rotational on */
	int doit_done; /* NBD_DO_IT returned (atomic) */
};

/* Read one request; NULL at the end (DISC, EOF, error). */
struct cmd *nbd_recv(struct nbd_conn *conn, const struct hddsim_clock *clk);
/* Is a request waiting?  Waits up to wall time @until (0: just look). */
int nbd_ready(struct nbd_conn *conn, const struct hddsim_clock *clk,
	      double until);
/* Answer @c with @err, and its data for a read. */
int nbd_reply(struct nbd_conn *conn, const struct cmd *c, int err);

/* /dev/nbdN to @dev->name; exits with status 2 for anything else. */
void nbd_set_name(struct nbd_dev *dev, const char *path);
/* Opens @device, or the first free one, and gives it @conn's kernel end. */
void nbd_dev_setup(struct nbd_dev *dev, struct nbd_conn *conn,
		   const char *device, uint64_t capacity, int wcache,
		   int timeout);
/* Waits for the kernel to start the device: 0, or -1 if it did not. */
int nbd_dev_wait(struct nbd_dev *dev);
/* Request size and rotational flag, once the device runs. */
void nbd_dev_tune(struct nbd_dev *dev, unsigned int max_kb);
/* After NBD_DO_IT: detach the socket, restore the rotational flag. */
void nbd_dev_release(struct nbd_dev *dev);
/* hddsim --stop: stop the hddsim serving @path; the exit status. */
int nbd_stop(const char *path);

#endif

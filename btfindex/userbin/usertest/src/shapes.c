/* A small program with structs and functions of different parameter
   lists, for bpfls's user-space binary tests. */
#include <stdio.h>
#include <stdlib.h>

struct point {
	int x;
	int y;
};

struct shape {
	const char *name;
	struct point origin;
	struct point *corners;
	unsigned long ncorners;
	double scale;
};

typedef struct shape shape_t;

__attribute__((noinline)) int add_points(struct point *a, struct point *b)
{
	return a->x + b->x + a->y + b->y;
}

__attribute__((noinline)) int dist(struct point *p, struct point *q)
{
	return p->x - q->x;
}

__attribute__((noinline)) long seven(long a, long b, long c, long d, long e, long f, long g)
{
	return a + b + c + d + e + f + g;
}

__attribute__((noinline)) double scale_shape(shape_t *s, double factor, int times)
{
	for (int i = 0; i < times; i++)
		s->scale *= factor;
	return s->scale;
}

__attribute__((noinline)) void no_args(void)
{
	puts("no args");
}

__attribute__((noinline)) long sum_ints(int n, ...)
{
	return n;
}

static __attribute__((noinline)) int local_helper(char c)
{
	return c + 1;
}

int main(int argc, char **argv)
{
	struct point a = {1, 2}, b = {3, 4};
	shape_t s = {"square", {0, 0}, NULL, 0, 1.0};
	no_args();
	printf("%d %ld\n", dist(&a, &b), seven(1, 2, 3, 4, 5, 6, argc));
	printf("%d %f %ld %d\n", add_points(&a, &b), scale_shape(&s, 2.0, argc),
	       sum_ints(1, 2), local_helper(argv[0][0]));
	return 0;
}

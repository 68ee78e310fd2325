// A small C++ program: namespaces, a class, overloads.
#include <cstdio>

namespace gadgets {
struct Widget {
	int size;
	__attribute__((noinline)) int grow(int by) { size += by; return size; }
};

__attribute__((noinline)) int measure(const Widget &w) { return w.size; }
__attribute__((noinline)) int measure(const Widget &w, int scale) { return w.size * scale; }
} // namespace gadgets

int main()
{
	gadgets::Widget w{3};
	w.grow(2);
	std::printf("%d %d\n", gadgets::measure(w), gadgets::measure(w, 2));
	return 0;
}

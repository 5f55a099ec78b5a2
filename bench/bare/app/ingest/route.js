// The bare Next.js app the benchmark compares with: one route that reads the
// body and answers 202 with a small JSON body, as the event endpoint does.
export async function POST(request) {
  await request.arrayBuffer();
  return Response.json({ id: "event_bare" }, { status: 202 });
}

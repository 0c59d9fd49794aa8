"""The commands' column paths (kernels): each works over the Selection the memory executor hands
on from the store's scan, a column at a time, and gives the same answer as the command's
event-by-event code, or None where some value needs events. kernels: sort, head, dedup, rex, where,
eval, spath; stats: stats, top, timechart, eventstats, streamstats."""

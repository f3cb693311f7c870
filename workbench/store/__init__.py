"""Translation files under translations/, their workflow and the memory read from them."""

"""Change requests: a draft of the factory model, its smartification review, sign-off by the departments and parties the review names, merge."""
